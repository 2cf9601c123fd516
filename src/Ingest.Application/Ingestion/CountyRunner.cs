using System.Globalization;
using Ingest.Core.Connectors;
using Ingest.Core.Periods;
using Ingest.Data.Organisations;
using Ingest.Data.Raw;
using Ingest.Data.Runs;
using Microsoft.Extensions.Options;

namespace Ingest.Application.Ingestion;

/// <summary>
/// Reads a county's units of a run through their connector and commits each one, under a lease and a deadline; the last
/// unit of a run finishes it. Used by the Hangfire jobs and by the command line alike; correctness rests on the database.
/// </summary>
public sealed class CountyRunner(
    ConnectorRegistry registry,
    RunStore runs,
    UnitLeaseStore unitLeases,
    UnitOutcomeStore unitOutcomes,
    OrganisationStore organisations,
    RawArchive archive,
    RowSpoolStore spools,
    UnitLeases leases,
    RunFinisher finisher,
    IOptionsMonitor<UnitOptions> unitOptions,
    TimeProvider time,
    ILogger<CountyRunner> logger)
{
    /// <summary>
    /// Runs a planned run's units here (the command line, the benchmark): each connector reads its counties
    /// <paramref name="parallelism"/> at a time, all connectors at once, so that each keeps its own request budget busy.
    /// A county's other connectors wait for the directory's connector to have committed it, so they find the county's
    /// directory stored by this run instead of reading it again; the directory's connector goes two counties at a time,
    /// so the first counties are ready soon.
    /// </summary>
    public async Task ExecuteAsync(PlannedRun run, int parallelism, Action<UnitOutcome> done, Func<string, IProgress<(string Stream, long Rows)>?> progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(done);
        ArgumentNullException.ThrowIfNull(progress);
        var first = (registry.Directory as IConnector)?.Name;
        var ready = run.Units.Select(u => u.CountyCode).Distinct(StringComparer.Ordinal)
            .ToDictionary(c => c, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), StringComparer.Ordinal);
        if (!run.Units.Any(u => u.Connector == first))
        {
            foreach (var county in ready.Values)
            {
                county.TrySetResult();
            }
        }

        var pools = run.Units.GroupBy(u => u.Connector).Select(connector =>
        {
            var counties = connector.GroupBy(u => u.CountyCode).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.ToArray()).ToArray();
            var lanes = connector.Key == first ? Math.Min(2, parallelism) : parallelism;
            return Parallel.ForEachAsync(counties, new ParallelOptions { MaxDegreeOfParallelism = lanes, CancellationToken = cancellationToken },
                async (units, token) =>
                {
                    var county = units[0].CountyCode;
                    try
                    {
                        if (connector.Key != first)
                        {
                            await ready[county].Task.WaitAsync(token);
                        }

                        foreach (var outcome in await RunCountyAsync(units, progress(units[0].Connector + " " + county), token))
                        {
                            done(outcome);
                        }
                    }
                    finally
                    {
                        if (connector.Key == first)
                        {
                            ready[county].TrySetResult();
                        }
                    }
                });
        }).ToArray();
        await Task.WhenAll(pools);
    }

    /// <summary>
    /// Reads one unit through its connector and commits it. A failure is recorded against the unit with its
    /// reason and returned, never thrown: the run's other units go on.
    /// </summary>
    public async Task<UnitOutcome> RunUnitAsync(UnitKey unit, IProgress<(string Stream, long Rows)>? progress, CancellationToken cancellationToken) =>
        (await RunCountyAsync([unit], progress, cancellationToken)).Single();

    /// <summary>
    /// Reads the units of one connector and county in a run (its periods of the night) together, so that what they share
    /// is read once (<see cref="IConnector.ReadCountyNightAsync"/>), and commits each unit on its own, in its own
    /// transaction with its checkpoint. Each unit is claimed and leased as before: one already committed or held by
    /// another worker is left out. A failure is recorded against the units it hit, with its reason, never thrown.
    /// </summary>
    public async Task<IReadOnlyList<UnitOutcome>> RunCountyAsync(IReadOnlyList<UnitKey> units, IProgress<(string Stream, long Rows)>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(units);
        if (units.Select(u => (u.RunId, u.Connector, u.CountyCode)).Distinct().Count() != 1)
        {
            throw new ArgumentException("The units of one call share their run, connector and county.", nameof(units));
        }

        var settings = unitOptions.CurrentValue;
        var owner = UnitLeases.ThisProcessRunner();
        var outcomes = new Dictionary<UnitKey, UnitOutcome>();
        var claimed = new List<UnitKey>();
        foreach (var unit in units)
        {
            switch (await unitLeases.StartUnitAsync(unit, owner, settings.Lease, cancellationToken))
            {
                case UnitClaim.Done:
                    outcomes[unit] = new UnitOutcome(unit, UnitStatus.Succeeded, 0, 0, 0, "already committed");
                    break;
                case UnitClaim.Held:
                    // Another worker runs it now (a doubled job): leave it alone, and never mark it failed.
                    logger.LogInformation("{Unit} is running on another worker; this job leaves it", unit);
                    outcomes[unit] = new UnitOutcome(unit, UnitStatus.Running, 0, 0, 0, "running on another worker");
                    break;
                default:
                    claimed.Add(unit);
                    break;
            }
        }

        if (claimed.Count > 0)
        {
            foreach (var outcome in await ReadAndCommitAsync(claimed, owner, settings, progress, cancellationToken))
            {
                outcomes[outcome.Key] = outcome;
            }

            if (await runs.AllUnitsDoneAsync(claimed[0].RunId, CancellationToken.None))
            {
                await finisher.FinishAsync(claimed[0].RunId);
            }
        }

        return units.Select(u => outcomes[u]).ToArray();
    }

    private async Task<IReadOnlyList<UnitOutcome>> ReadAndCommitAsync(List<UnitKey> claimed, string owner, UnitOptions settings,
        IProgress<(string Stream, long Rows)>? progress, CancellationToken cancellationToken)
    {
        var first = claimed[0];
        // A trace per county night, and each unit's duration by how it ended.
        using var activity = Ingest.Application.Operations.IngestTelemetry.Activities.StartActivity("ingest.unit");
        activity?.SetTag("ingest.run", first.RunId).SetTag("ingest.connector", first.Connector).SetTag("ingest.county", first.CountyCode)
            .SetTag("ingest.period", string.Join(",", claimed.Select(u => u.Period)));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // The leases are renewed while the units work; the deadline bounds the whole read; either one stops the work.
        using var lost = new CancellationTokenSource();
        using var deadline = new CancellationTokenSource(settings.Deadline, time);
        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lost.Token, deadline.Token);
        using var stopHeartbeat = new CancellationTokenSource();
        var settled = new System.Collections.Concurrent.ConcurrentDictionary<UnitKey, bool>();
        var heartbeat = leases.HeartbeatAsync(claimed, settled, owner, settings.Lease, lost, stopHeartbeat.Token);
        var outcomes = new List<UnitOutcome>();
        try
        {
            var connector = registry.Get(first.Connector);
            var context = new IngestionContext(first.RunId, connector.Name, archive, unitOutcomes, progress, registry.Directory, organisations, spools, logger);
            var reads = await connector.ReadCountyNightAsync(
                new CountyNight(first.RunId, first.CountyCode, claimed.Select(u => Period.Parse(u.Period)).ToArray()), context, work.Token);
            foreach (var unit in claimed)
            {
                var read = reads.Single(r => r.Period.Code == unit.Period);
                settled[unit] = true; // committed or failed below: its lease ends with it
                if (read.Error is { } error)
                {
                    outcomes.Add(await FailAsync(unit, error, owner));
                    continue;
                }

                var outcome = await unitOutcomes.CommitUnitAsync(unit, read.Batch!, owner, work.Token)
                    ?? new UnitOutcome(unit, UnitStatus.Succeeded, 0, 0, 0, "committed or taken over by another worker");
                Ingest.Application.Operations.IngestTelemetry.Committed(unit, read.Batch!, outcome);
                outcomes.Add(outcome);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // Shutting down: the leases run out and the units are marked interrupted; a later attempt takes them up again.
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested)
        {
            // Another worker or the sweeper has a unit now: what this one read is dropped, and the units not committed are theirs to settle.
            logger.LogWarning("{Unit}: the lease was lost; the work is dropped", first);
            var done = outcomes.Select(o => o.Key).ToHashSet();
            return [.. outcomes, .. claimed.Where(u => !done.Contains(u)).Select(u => new UnitOutcome(u, UnitStatus.Interrupted, 0, 0, 0, "lease lost"))];
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            var reason = string.Create(CultureInfo.InvariantCulture, $"超过单元时限（{settings.Deadline}）仍未完成，已停止；本单元未写入任何数据");
            var done = outcomes.Select(o => o.Key).ToHashSet();
            foreach (var unit in claimed.Where(u => !done.Contains(u)))
            {
                logger.LogWarning("{Unit} failed: {Reason}", unit, reason);
                await unitOutcomes.FailUnitAsync(unit, reason, CancellationToken.None, owner);
                outcomes.Add(new UnitOutcome(unit, UnitStatus.Failed, 0, 0, 0, reason));
            }
        }
#pragma warning disable CA1031 // Any failure of the units is recorded with its reason; the other units must go on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var done = outcomes.Select(o => o.Key).ToHashSet();
            foreach (var unit in claimed.Where(u => !done.Contains(u)))
            {
                outcomes.Add(await FailAsync(unit, e, owner));
            }
        }
        finally
        {
            await stopHeartbeat.CancelAsync();
            await heartbeat;
        }

        foreach (var outcome in outcomes)
        {
            Ingest.Application.Operations.IngestTelemetry.UnitEnded(outcome.Key.Connector, outcome.Status, clock.Elapsed);
        }

        activity?.SetTag("ingest.status", outcomes.Any(o => o.Failed) ? UnitStatus.Failed : UnitStatus.Succeeded);
        if (outcomes.FirstOrDefault(o => o.Failed) is { } failed)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, failed.Error);
        }

        return outcomes;
    }

    private async Task<UnitOutcome> FailAsync(UnitKey unit, Exception e, string owner)
    {
        var reason = Describe(e);
        if (e is ConnectorException)
        {
            // An upstream refusal or outage the connector already explained: the reason is the whole story.
            logger.LogWarning("{Unit} failed: {Reason}", unit, reason);
        }
        else
        {
            logger.LogWarning(e, "{Unit} failed: {Reason}", unit, reason);
        }

        await unitOutcomes.FailUnitAsync(unit, reason, CancellationToken.None, owner);
        return new UnitOutcome(unit, UnitStatus.Failed, 0, 0, 0, reason);
    }

    private static string Describe(Exception e) => e switch
    {
        ConnectorException => e.Message,
        HttpRequestException h => string.Create(CultureInfo.InvariantCulture, $"HTTP error{(h.StatusCode is { } s ? $" {(int)s}" : string.Empty)}: {h.Message}"),
        TimeoutException => "Timed out: " + e.Message,
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
