using System.Globalization;
using Hangfire;
using Ingest.Application.Ingestion;
using Ingest.Core.Periods;
using Microsoft.Extensions.Options;

namespace Ingest.Host.Scheduling;

/// <summary>
/// The recurring nightly job: plans one run over every configured cycle (a period two cycles share is read once) and
/// enqueues a job per connector and county.
/// </summary>
public sealed class NightlyIngestionJob(
    IngestionService ingestion,
    IBackgroundJobClient jobs,
    IOptions<ScheduleOptions> options,
    TimeProvider clock,
    ILogger<NightlyIngestionJob> logger)
{
    public const string RecurringJobId = "nightly-ingestion";

    /// <summary>
    /// Idempotent for a night: the run is keyed by its cycles and the night, so a retried or doubled execution finds the
    /// same run and re-enqueues only what is not committed (units already done are skipped).
    /// </summary>
    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var night = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), options.Value.Zone).Date);
        var cycles = options.Value.Cycles.Select(EvaluationCycle.Parse).Distinct().ToArray();
        if (cycles.Length == 0)
        {
            return;
        }

        var key = string.Create(CultureInfo.InvariantCulture, $"schedule:{string.Join('+', cycles)}:{night:yyyy-MM-dd}");
        var run = await ingestion.PlanAsync(new IngestionRequest("schedule", null, null, DedupeKey: key, Cycles: cycles), cancellationToken);
        UnitJob.EnqueueAll(jobs, run);
        logger.LogInformation("Nightly {Cycles}: run {RunId} with {Units} units over periods {Periods} enqueued", string.Join('+', cycles), run.RunId, run.Units.Count,
            string.Join(", ", run.Periods));
    }
}
