using Ingest.Core.Facts;
using Ingest.Core.Organisations;

namespace Ingest.Core.Connectors;

/// <summary>What a connector read for one county and period: committed by the host as one transaction.</summary>
/// <param name="Facts">Normalised facts for the county's schools and the county itself.</param>
/// <param name="Organisations">Organisations the connector learned about (upserted into the directory).</param>
/// <param name="Streams">One report per stream that was read.</param>
public sealed record CountyBatch(
    IReadOnlyList<IndicatorFact> Facts,
    IReadOnlyList<Organisation> Organisations,
    IReadOnlyList<StreamReport> Streams);

/// <summary>Outcome of a stream for one county and period.</summary>
public enum StreamStatus
{
    Succeeded,

    /// <summary>Read, but something looks wrong (e.g. zero rows where the previous run had many).</summary>
    Flagged,

    Failed,
}

/// <summary>Bookkeeping of one stream for one county and period.</summary>
/// <param name="Stream">Stream name.</param>
/// <param name="Status">Outcome.</param>
/// <param name="Pages">Pages (or files) fetched.</param>
/// <param name="RowsRead">Rows as the upstream returned them.</param>
/// <param name="RowsKept">Rows kept after de-duplication and validation.</param>
/// <param name="FactsEmitted">Facts normalised from the stream.</param>
/// <param name="Note">Why it failed or was flagged, or what recovery was done; null when nothing to say.</param>
/// <param name="PagesNeeded">
/// The fewest requests its rows could have been read in (rows ÷ page size, at least one), against <paramref name="Pages"/>
/// made; a listing read once for several periods counts once, in the first. Null when the connector does not say.
/// </param>
public sealed record StreamReport(
    string Stream,
    StreamStatus Status,
    int Pages,
    long RowsRead,
    long RowsKept,
    int FactsEmitted,
    string? Note = null,
    int? PagesNeeded = null);
