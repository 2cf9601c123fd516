using Ingest.Core.Connectors;
using Ingest.Core.Organisations;
using Ingest.Data.Organisations;
using Ingest.Data.Raw;
using Ingest.Data.Runs;

namespace Ingest.Application.Ingestion;

/// <summary>The host's side of one connector's read: raw archive, previous reports, the directory, progress.</summary>
internal sealed class IngestionContext(
    long runId,
    string connector,
    RawArchive archive,
    UnitOutcomeStore units,
    IProgress<(string Stream, long Rows)>? progress,
    IOrganisationDirectory? directory = null,
    OrganisationStore? stored = null,
    RowSpoolStore? spools = null,
    ILogger? logger = null)
    : IIngestionContext
{
    public long RunId => runId;

    public Task ArchiveAsync(RawPage page, CancellationToken cancellationToken) =>
        archive.AppendAsync(runId, connector, page, cancellationToken);

    public Task<StreamReport?> PreviousReportAsync(string stream, string countyCode, string period, CancellationToken cancellationToken) =>
        units.PreviousReportAsync(runId, connector, stream, countyCode, period, cancellationToken);

    public void ReportProgress(string stream, long rowsRead) => progress?.Report((stream, rowsRead));

    /// <summary>In the database when the host has one, so a county's listing never sits whole in this process.</summary>
    public async Task<IRowSpool> OpenSpoolAsync(string stream, CancellationToken cancellationToken) =>
        spools is null ? new MemoryRowSpool() : await spools.OpenAsync(runId, connector, stream, cancellationToken);

    /// <summary>
    /// The directory's connector first (its answers archived under this unit), so a first run needs no earlier
    /// one; when it is not registered or fails, the directory stored by earlier runs.
    /// </summary>
    public async Task<IReadOnlyList<Organisation>> SchoolsAsync(string countyCode, CancellationToken cancellationToken)
    {
        string? why = null;
        if (directory is IConnector reader && stored is not null && reader.Name != connector
            && await units.CommittedAnyAsync(runId, reader.Name, countyCode, cancellationToken))
        {
            // The directory's connector already read the county in this run and stored it: the night reads it once.
            var fresh = await stored.ListSchoolsAsync(countyCode, cancellationToken);
            if (fresh.Count > 0)
            {
                return fresh;
            }
        }

        if (directory is not null)
        {
            try
            {
                var live = await directory.ReadSchoolsAsync(countyCode, this, cancellationToken);
                if (live.Count > 0)
                {
                    return live;
                }

                why = "the directory lists no school for it";
            }
            catch (Exception e) when (e is ConnectorException or HttpRequestException or TimeoutException)
            {
                why = e.Message;
                logger?.LogWarning("County {County}: the organisation directory could not be read ({Reason}); using the stored one", countyCode, e.Message);
            }
        }

        var known = stored is null ? [] : await stored.ListSchoolsAsync(countyCode, cancellationToken);
        return known.Count > 0
            ? known
            : throw new ConnectorException($"county {countyCode}: no school of it is known to the organisation directory"
                + (why is null ? " (no directory connector is registered and no earlier run stored one)." : $" ({why}; no earlier run stored one)."));
    }
}
