using Ingest.Core.Connectors;
using Ingest.Data.Raw;
using Ingest.Data.Runs;

namespace Ingest.Host.Ingestion;

/// <summary>The host's side of one connector's read: raw archive, previous reports, progress.</summary>
internal sealed class IngestionContext(long runId, string connector, RawArchive archive, RunStore runs, IProgress<(string Stream, long Rows)>? progress)
    : IIngestionContext
{
    public long RunId => runId;

    public Task ArchiveAsync(RawPage page, CancellationToken cancellationToken) =>
        archive.AppendAsync(runId, connector, page, cancellationToken);

    public Task<StreamReport?> PreviousReportAsync(string stream, string countyCode, string period, CancellationToken cancellationToken) =>
        runs.PreviousReportAsync(runId, connector, stream, countyCode, period, cancellationToken);

    public void ReportProgress(string stream, long rowsRead) => progress?.Report((stream, rowsRead));
}
