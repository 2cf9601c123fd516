using Ingest.Core.Sheets;

namespace Ingest.Application.Rating;

/// <summary>The organisation has no scoresheet for the cycle yet, and the caller may not create one.</summary>
public sealed class ScoresheetNotFoundException(string message) : ScoresheetException(message);
