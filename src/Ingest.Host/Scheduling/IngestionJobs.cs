using System.Globalization;
using Hangfire;
using Ingest.Core.Periods;
using Ingest.Data.Runs;
using Ingest.Host.Ingestion;
using Microsoft.Extensions.Options;

namespace Ingest.Host.Scheduling;

/// <summary>The recurring nightly job: plans one run per configured cycle and enqueues a job per unit.</summary>
public sealed class NightlyIngestionJob(
    IngestionService ingestion,
    IBackgroundJobClient jobs,
    IOptions<ScheduleOptions> options,
    TimeProvider clock,
    ILogger<NightlyIngestionJob> logger)
{
    public const string RecurringJobId = "nightly-ingestion";

    /// <summary>
    /// Idempotent for a night: the run of each cycle is keyed by cycle and night, so a retried or doubled
    /// execution finds the same run and re-enqueues only what is not committed (units already done are skipped).
    /// </summary>
    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var night = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), options.Value.Zone).Date);
        foreach (var text in options.Value.Cycles)
        {
            var cycle = EvaluationCycle.Parse(text);
            var key = string.Create(CultureInfo.InvariantCulture, $"schedule:{cycle}:{night:yyyy-MM-dd}");
            var run = await ingestion.PlanAsync(new IngestionRequest("schedule", cycle, null, DedupeKey: key), cancellationToken);
            UnitJob.EnqueueAll(jobs, run);

            logger.LogInformation("Nightly {Cycle}: run {RunId} with {Units} units enqueued", cycle, run.RunId, run.Units.Count);
        }
    }
}

/// <summary>One unit of a run: a connector's streams for one county and period.</summary>
public sealed class UnitJob(IngestionService ingestion)
{
    /// <summary>One job per unit of the run; units already committed find their checkpoint and end at once.</summary>
    public static void EnqueueAll(IBackgroundJobClient jobs, PlannedRun run)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(run);
        foreach (var unit in run.Units)
        {
            jobs.Enqueue<UnitJob>(j => j.RunAsync(unit.RunId, unit.Connector, unit.CountyCode, unit.Period, CancellationToken.None));
        }
    }

    /// <summary>
    /// Runs the unit. Its failure is already recorded with the reason in the run tables; it is thrown again so
    /// the dashboard shows the job failed. No automatic retry: the connector's resilience pipeline has already
    /// retried what is worth retrying, and an operator can requeue the job from the dashboard.
    /// </summary>
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("ingest {1} county {2} period {3} (run {0})")]
    public async Task RunAsync(long runId, string connector, string countyCode, string period, CancellationToken cancellationToken)
    {
        var outcome = await ingestion.RunUnitAsync(new UnitKey(runId, connector, countyCode, period), null, cancellationToken);
        if (outcome.Failed)
        {
            throw new UnitFailedException(outcome.Key + ": " + outcome.Error);
        }
    }
}

/// <summary>
/// Every minute, on whichever host's worker takes it: units whose worker stopped (their lease ran out) are marked
/// interrupted, and their runs complete.
/// </summary>
public sealed class UnitSweepJob(IngestionService ingestion)
{
    public const string RecurringJobId = "unit-sweeper";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [JobDisplayName("settle units whose worker stopped")]
    public Task RunAsync(CancellationToken cancellationToken) => ingestion.SweepAsync(cancellationToken);
}

/// <summary>
/// Every night: archived upstream answers older than <c>Ingest:Retention:RawPageDays</c> are deleted in small batches,
/// each its own short transaction; the fact history stays. What went is recorded in the audit trail.
/// </summary>
public sealed class RawArchiveRetentionJob(
    Data.Raw.RawArchive archive, Data.Audit.AuditStore audit, IOptionsMonitor<RetentionOptions> options, TimeProvider clock,
    ILogger<RawArchiveRetentionJob> logger)
{
    public const string RecurringJobId = "raw-archive-retention";

    [AutomaticRetry(Attempts = 1)]
    [DisableConcurrentExecution(timeoutInSeconds: 3600)]
    [JobDisplayName("prune the raw archive past its retention")]
    public async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var before = clock.GetUtcNow().AddDays(-settings.RawPageDays);
        var pruned = await archive.PruneAsync(before, settings.BatchSize, cancellationToken);
        logger.LogInformation("Raw archive: {Pruned} pages read before {Before:u} pruned", pruned, before);
        if (pruned > 0)
        {
            await audit.AppendAsync(new Data.Audit.Actor("系统", null, "system", null, Environment.MachineName),
                new Data.Audit.AuditEvent("retention.prune", null, "raw_page", null, new { pruned, before, days = settings.RawPageDays }), cancellationToken);
        }

        return pruned;
    }
}

/// <summary>A unit failed; the reason is recorded in the run tables too.</summary>
public sealed class UnitFailedException(string message) : Exception(message);
