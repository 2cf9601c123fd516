namespace Ingest.Connectors.Progress.Client;

/// <summary>What it took to read the sessions of a county and period, exactly, into a spool.</summary>
/// <param name="Sessions">Sessions kept, each id once.</param>
/// <param name="Pages">Pages fetched, over every window read.</param>
/// <param name="RowsRead">Rows as the listing returned them, repeats included.</param>
/// <param name="WindowReads">Date windows read (1 when the listing held still).</param>
/// <param name="Note">What was done when the listing shifted; null when it did not.</param>
public sealed record SessionListing(long Sessions, int Pages, long RowsRead, int WindowReads, string? Note);
