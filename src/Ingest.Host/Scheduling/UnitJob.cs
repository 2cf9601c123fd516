using Hangfire;
using Ingest.Application.Ingestion;
using Ingest.Data.Runs;

namespace Ingest.Host.Scheduling;

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

/// <summary>A unit failed; the reason is recorded in the run tables too.</summary>
public sealed class UnitFailedException(string message) : Exception(message);
