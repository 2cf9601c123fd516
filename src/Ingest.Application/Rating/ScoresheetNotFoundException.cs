using Ingest.Core.Sheets;

namespace Ingest.Application.Rating;

/// <summary>The organisation has no scoresheet for the cycle yet, and the caller may not create one.</summary>
public sealed class ScoresheetNotFoundException(string message) : ScoresheetException(message);

/// <summary>The caller asked to write a column its role does not write.</summary>
public sealed class ColumnRefusedException(string message) : ScoresheetException(message);
