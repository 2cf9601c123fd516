namespace Ingest.Core.Sheets;

/// <summary>A scoresheet request that cannot be met (unknown organisation or item, an entry out of bounds, a missing reason); the message says why.</summary>
public class ScoresheetException(string message) : Exception(message);
