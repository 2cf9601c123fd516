using Ingest.Application.Rating;
using Ingest.Data.Facts;
using Ingest.Data.Runs;

namespace Ingest.Application.Ingestion;

/// <summary>The end of a run: the region's roll-up, the re-score of the sheets that read it, the 整改 data lines, its completion and its alert.</summary>
public sealed class RunFinisher(
    RunStore runs,
    RegionAggregator region,
    ScoresheetPrefill scoresheets,
    Ingest.Application.Remediation.RemediationService remediation,
    Ingest.Application.Operations.RunAlerts alerts,
    ILogger<RunFinisher> logger)
{
    /// <summary>
    /// The last unit of a run rolls the counties up to the region, once all of them are in, and re-scores the
    /// scoresheets that read the run's periods; only then is the run complete, so whoever sees it finished sees the
    /// region's figures and the sheets of this run.
    /// </summary>
    public async Task FinishAsync(long runId)
    {
        string? note = null;
#pragma warning disable CA1031 // The run is completed whatever the roll-up does; the failure goes into its note.
        try
        {
            var scopes = await runs.CommittedScopesAsync(runId, CancellationToken.None);
            foreach (var (connector, period) in scopes)
            {
                await region.AggregateAsync(runId, connector, period, CancellationToken.None);
            }

            // Then the scoresheets that read these periods take the new figures; what people entered stays.
            await scoresheets.RescoreAfterRunAsync(runId, scopes.Select(s => s.Period).Distinct().ToArray(), CancellationToken.None);

            // And the 整改 items on data lines look at the new figures: one that now passes is marked 数据已达标.
            await remediation.CheckDataLinesAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Run {RunId}: the region roll-up failed", runId);
            note = "The region roll-up failed: " + e.Message;
        }
#pragma warning restore CA1031

        if (await runs.CompleteRunIfDoneAsync(runId, note, CancellationToken.None) is { } status)
        {
#pragma warning disable CA1031 // The run is complete; an alert that cannot be sent is logged, never the run's failure.
            try
            {
                await alerts.RunCompletedAsync(runId, status, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Run {RunId}: the alert could not be prepared", runId);
            }
#pragma warning restore CA1031
        }
    }
}
