namespace Ingest.Core.Connectors;

/// <summary>What the host offers a connector while it reads one unit of work.</summary>
public interface IIngestionContext
{
    /// <summary>The run this read belongs to.</summary>
    long RunId { get; }

    /// <summary>Stores one raw upstream answer (a page, a file) exactly as received.</summary>
    Task ArchiveAsync(RawPage page, CancellationToken cancellationToken);

    /// <summary>
    /// What the latest earlier run read for this stream, county and period, if any (to flag sudden drops). Failed
    /// streams and flagged streams whose facts were withheld are skipped: they are no baseline.
    /// </summary>
    Task<StreamReport?> PreviousReportAsync(string stream, string countyCode, string period, CancellationToken cancellationToken);

    /// <summary>
    /// The county's schools as the region's organisation directory knows them, for a connector whose upstream
    /// has no directory of its own: read afresh from the directory's connector where one is registered, else
    /// the directory stored by earlier runs.
    /// </summary>
    /// <exception cref="ConnectorException">Neither knows a school of the county.</exception>
    Task<IReadOnlyList<Organisations.Organisation>> SchoolsAsync(string countyCode, CancellationToken cancellationToken);

    /// <summary>Progress for displays: rows read so far in the current stream.</summary>
    void ReportProgress(string stream, long rowsRead);

    /// <summary>
    /// A spool for the rows of one listing, dropped when disposed. The host keeps it in the database, so a connector's
    /// memory grows with its page size and not with the listing; the default keeps it in memory.
    /// </summary>
    Task<IRowSpool> OpenSpoolAsync(string stream, CancellationToken cancellationToken) => Task.FromResult<IRowSpool>(new MemoryRowSpool());
}

/// <summary>One raw answer of an upstream.</summary>
/// <param name="Stream">Stream name.</param>
/// <param name="CountyCode">County it was read for; null for region-wide listings.</param>
/// <param name="Period">Period code it was read for; null when the listing has none.</param>
/// <param name="Sequence">Order of the page within the stream read (0, 1, …); a restarted stream continues the count.</param>
/// <param name="Request">Method, path and query as sent (no credentials).</param>
/// <param name="HttpStatus">HTTP status of the answer.</param>
/// <param name="ContentType">Content type of the body.</param>
/// <param name="Body">The body bytes, unchanged (a GB18030 CSV stays GB18030).</param>
/// <param name="FetchedAt">When the answer arrived.</param>
public sealed record RawPage(
    string Stream,
    string? CountyCode,
    string? Period,
    int Sequence,
    string Request,
    int HttpStatus,
    string? ContentType,
    ReadOnlyMemory<byte> Body,
    DateTimeOffset FetchedAt);
