using System.Globalization;
using Hangfire;
using Ingest.Application.Ingestion;
using Ingest.Application.Operations;
using Ingest.Core.Periods;
using Ingest.Data.Runs;
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

/// <summary>A connector's units of one county in a run: its streams for the night's periods, read together.</summary>
public sealed class UnitJob(IngestionService ingestion, ConnectorRegistry registry, UnitOutcomeStore unitOutcomes, IBackgroundJobClient jobs, TimeProvider clock)
{
    /// <summary>How long a county's job waits for the directory's connector to commit the county before it reads the directory itself.</summary>
    public static readonly TimeSpan DirectoryWait = TimeSpan.FromMinutes(10);

    /// <summary>How often a waiting job looks again.</summary>
    public static readonly TimeSpan DirectoryPoll = TimeSpan.FromSeconds(3);

    /// <summary>One job per connector and county of the run; units already committed find their checkpoint and end at once.</summary>
    public static void EnqueueAll(IBackgroundJobClient jobs, PlannedRun run)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(run);
        // One job per connector and county: its periods of the night are read together, what they share once.
        foreach (var county in run.Units.GroupBy(u => (u.RunId, u.Connector, u.CountyCode)))
        {
            var periods = county.Select(u => u.Period).ToArray();
            jobs.Enqueue<UnitJob>(j => j.RunCountyAsync(county.Key.RunId, county.Key.Connector, county.Key.CountyCode, periods, null, CancellationToken.None));
        }
    }

    /// <summary>
    /// Runs the units of one connector and county for the given periods, read together (<see cref="CountyRunner.RunCountyAsync"/>).
    /// A connector that takes its schools from the directory first lets the directory's connector commit the county in
    /// this run, so the night reads the county's directory once: while that connector's units of the county are all
    /// pending or running, the job is scheduled again a few seconds later instead of holding a worker, for at most
    /// <see cref="DirectoryWait"/>; then it reads the directory itself.
    /// </summary>
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("ingest {1} county {2} periods {3} (run {0})")]
    public async Task RunCountyAsync(long runId, string connector, string countyCode, string[] periods, DateTimeOffset? waitingSince,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(periods);
        var now = clock.GetUtcNow();
        if (registry.Directory is Ingest.Core.Connectors.IConnector directory && directory.Name != connector
            && (waitingSince is null || now - waitingSince < DirectoryWait)
            && await unitOutcomes.AllUnfinishedAsync(runId, directory.Name, countyCode, cancellationToken))
        {
            var since = waitingSince ?? now;
            jobs.Schedule<UnitJob>(j => j.RunCountyAsync(runId, connector, countyCode, periods, since, CancellationToken.None), DirectoryPoll);
            return;
        }

        var outcomes = await ingestion.RunCountyAsync(periods.Select(p => new UnitKey(runId, connector, countyCode, p)).ToArray(), null, cancellationToken);
        if (outcomes.Where(o => o.Failed).ToArray() is { Length: > 0 } failed)
        {
            throw new UnitFailedException(string.Join("; ", failed.Select(o => o.Key + ": " + o.Error)));
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

/// <summary>Every night: what is past its retention is pruned (<see cref="RetentionService"/>).</summary>
public sealed class RawArchiveRetentionJob(RetentionService retention)
{
    public const string RecurringJobId = "raw-archive-retention";

    [AutomaticRetry(Attempts = 1)]
    [DisableConcurrentExecution(timeoutInSeconds: 3600)]
    [JobDisplayName("prune the raw archive past its retention")]
    public Task<long> RunAsync(CancellationToken cancellationToken) => retention.PruneAsync(cancellationToken);
}

/// <summary>A unit failed; the reason is recorded in the run tables too.</summary>
public sealed class UnitFailedException(string message) : Exception(message);
