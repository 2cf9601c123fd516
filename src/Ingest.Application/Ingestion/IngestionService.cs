using System.Globalization;
using Ingest.Core.Connectors;
using Ingest.Core.Periods;
using Ingest.Data.Audit;
using Ingest.Data.Facts;
using Ingest.Data.Organisations;
using Ingest.Data.Raw;
using Ingest.Data.Runs;
using Microsoft.Extensions.Options;
using Ingest.Application.Operations;
using Ingest.Application.Rating;

namespace Ingest.Application.Ingestion;

/// <summary>What to ingest.</summary>
/// <param name="Trigger">schedule, cli or api.</param>
/// <param name="Cycle">An evaluation cycle: every period it needs is read.</param>
/// <param name="Period">Or one explicit period.</param>
/// <param name="Counties">Counties to read; null or empty for every county of the region.</param>
/// <param name="Connectors">Connectors to use; null or empty for all.</param>
/// <param name="DedupeKey">Makes a repeated request return the same run.</param>
/// <param name="Runner">The process that runs the units itself (the command line), or null for the job workers.</param>
/// <param name="Cycles">More cycles read in the same run (a night): a period two cycles share is one unit, read once.</param>
public sealed record IngestionRequest(
    string Trigger,
    EvaluationCycle? Cycle,
    Period? Period,
    IReadOnlyList<string>? Counties = null,
    IReadOnlyList<string>? Connectors = null,
    string? DedupeKey = null,
    string? Runner = null,
    IReadOnlyList<EvaluationCycle>? Cycles = null)
{
    /// <summary>One cycle (county:2024), or several joined by + (county:2024+school:2025): one night that reads a period they share once.</summary>
    /// <exception cref="FormatException">A cycle is malformed.</exception>
    public static EvaluationCycle[] ParseCycles(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Split('+', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(EvaluationCycle.Parse).Distinct().ToArray() is { Length: > 0 } cycles
            ? cycles
            : throw new FormatException($"'{text}' names no evaluation cycle (e.g. county:2024, or county:2024+school:2025).");
    }

    /// <summary>Every cycle the request names, in order, each once.</summary>
    public IReadOnlyList<EvaluationCycle> AllCycles => (Cycle is null ? [] : new[] { Cycle }).Concat(Cycles ?? []).Distinct().ToArray();
}

/// <summary>A run and the units it fans out to.</summary>
public sealed record PlannedRun(long RunId, IReadOnlyList<UnitKey> Units, IReadOnlyList<string> Periods, IReadOnlyList<string> Counties);

/// <summary>The request cannot be planned (unknown county or connector, nothing to read); the message says why.</summary>
public sealed class IngestionPlanException(string message) : Exception(message);

/// <summary>
/// Plans runs (cycle → periods, counties × connectors × periods → units) and executes one unit at a time.
/// Used by the Hangfire jobs and by the CLI alike; correctness rests on the database, not on who calls.
/// </summary>
public sealed class IngestionService(
    ConnectorRegistry registry,
    RunStore runs,
    OrganisationStore organisations,
    RawArchive archive,
    RowSpoolStore spools,
    RegionAggregator region,
    ScoresheetService scoresheets,
    IConfiguration configuration,
    IOptionsMonitor<UnitOptions> unitOptions,
    Ingest.Application.Operations.RunAlerts alerts,
    TimeProvider time,
    ILogger<IngestionService> logger)
{
    /// <summary>The periods a cycle reads: docs/domain.md's defaults, overridden by <c>Ingest:CyclePeriods:{cycle}</c>.</summary>
    public CyclePeriods PeriodsOf(EvaluationCycle cycle) => CyclePeriodsResolver.Resolve(configuration, cycle);

    /// <summary>Creates the run (or finds it by its dedupe key) and registers its units.</summary>
    /// <exception cref="IngestionPlanException">Nothing can be read for the request.</exception>
    public Task<PlannedRun> PlanAsync(IngestionRequest request, CancellationToken cancellationToken) => PlanAsync(request, null, cancellationToken);

    /// <summary>
    /// Creates the run (or finds it by its dedupe key) and registers its units; a run a person started (<paramref name="by"/>)
    /// is recorded in the audit trail (run.start) in the transaction that registers its units.
    /// </summary>
    /// <exception cref="IngestionPlanException">Nothing can be read for the request.</exception>
    public async Task<PlannedRun> PlanAsync(IngestionRequest request, Actor? by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Whatever an earlier process left running when it died is settled first, so its runs do not stay open for ever.
        await SweepAsync(cancellationToken);
        var cycles = request.AllCycles;
        // A night of several cycles reads each period once, however many of them need it.
        IReadOnlyList<Period> periods = cycles.Count > 0 ? cycles.SelectMany(c => PeriodsOf(c).All()).DistinctBy(x => x.Code).ToArray()
            : request.Period is { } p ? [p]
            : throw new IngestionPlanException("Name an evaluation cycle (e.g. county:2024) or a period (e.g. 2023-2024).");
        var connectors = SelectConnectors(request.Connectors);
        var named = NamedCounties(request.Counties);
        if (named is not null)
        {
            // Checked against the directory when it is known (every night refreshes it); on a first run it is not yet,
            // and a county that does not exist fails its own units with the upstream's answer.
            var known = await organisations.ListCountyCodesAsync(cancellationToken);
            var unknown = known.Count == 0 ? [] : named.Except(known, StringComparer.Ordinal).ToArray();
            if (unknown.Length > 0)
            {
                throw new IngestionPlanException($"机构目录中没有县（区）{string.Join("、", unknown)}：请核对代码（目录中共 {known.Count} 个县（区），例如 {known[0]}）");
            }
        }

        var runId = await runs.CreateRunAsync(
            new RunRequest(request.Trigger, cycles.Count == 0 ? null : string.Join('+', cycles), periods.Select(x => x.Code).ToArray(), named,
                connectors.Select(c => c.Name).ToArray(), Environment.MachineName, request.DedupeKey,
                // A period named by a person (not a cycle's night) re-reads the past: a backfill, which leaves last night's state alone.
                Backfill: cycles.Count == 0 && request.Trigger != "schedule", Runner: request.Runner),
            cancellationToken);

        IReadOnlyList<string> counties;
        try
        {
            counties = named ?? await RegionCountiesAsync(runId, cancellationToken);
        }
        catch (IngestionPlanException e)
        {
            await runs.CompleteRunIfDoneAsync(runId, e.Message, cancellationToken);
            throw;
        }

        var units = (
            from connector in connectors
            from period in periods
            where connector.Streams.Any(s => s.Accepts(period))
            from county in counties
            select new UnitKey(runId, connector.Name, county, period.Code)).ToArray();
        try
        {
            await runs.AddUnitsAsync(units, by is null ? null : (by, new AuditEvent(AuditActions.RunStart, null, runId.ToString(CultureInfo.InvariantCulture), null, new
            {
                cycle = cycles.Count == 0 ? null : string.Join('+', cycles),
                period = request.Period?.Code,
                counties,
                request.Connectors,
                units = units.Length,
            })), cancellationToken);
        }
        catch (Npgsql.NpgsqlException e)
        {
            // Neither the units nor the line were kept: the run ends here, saying why, rather than stay open with nothing to do.
            await runs.CompleteRunIfDoneAsync(runId, "未能登记采集单元：" + e.Message, CancellationToken.None);
            throw;
        }
        if (units.Length == 0)
        {
            await runs.CompleteRunIfDoneAsync(runId, "Nothing to read: no registered connector reads these periods.", cancellationToken);
        }

        logger.LogInformation("Run {RunId}: {Units} units over {Counties} counties and periods {Periods}",
            runId, units.Length, counties.Count, string.Join(", ", periods));
        return new PlannedRun(runId, units, periods.Select(x => x.Code).ToArray(), counties);
    }

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
        var owner = ThisProcessRunner();
        var outcomes = new Dictionary<UnitKey, UnitOutcome>();
        var claimed = new List<UnitKey>();
        foreach (var unit in units)
        {
            switch (await runs.StartUnitAsync(unit, owner, settings.Lease, cancellationToken))
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
                await FinishRunAsync(claimed[0].RunId);
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
        var heartbeat = HeartbeatAsync(claimed, settled, owner, settings.Lease, lost, stopHeartbeat.Token);
        var outcomes = new List<UnitOutcome>();
        try
        {
            var connector = registry.Get(first.Connector);
            var context = new IngestionContext(first.RunId, connector.Name, archive, runs, progress, registry.Directory, organisations, spools, logger);
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

                var outcome = await runs.CommitUnitAsync(unit, read.Batch!, owner, work.Token)
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
                await runs.FailUnitAsync(unit, reason, CancellationToken.None, owner);
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

        await runs.FailUnitAsync(unit, reason, CancellationToken.None, owner);
        return new UnitOutcome(unit, UnitStatus.Failed, 0, 0, 0, reason);
    }

    /// <summary>
    /// Settles the units whose worker stopped: every running unit whose lease ran out is marked interrupted with the
    /// reason, and each of their runs completes (rolled up, re-scored, partial) once all its units are settled. Safe on
    /// any host at any time; returns the units marked.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var settings = unitOptions.CurrentValue;
        // A worker of this machine whose process is gone cannot renew its lease: its units need not wait for it to run out.
        var dead = (await runs.RunningOwnersAsync(cancellationToken)).Where(IsDeadHere).ToArray();
        var runIds = await runs.InterruptExpiredAsync(settings.Deadline + settings.Lease, dead, cancellationToken);
        foreach (var runId in runIds)
        {
            logger.LogWarning("Run {RunId}: units whose worker stopped are marked interrupted", runId);
            if (await runs.AllUnitsDoneAsync(runId, cancellationToken))
            {
                await FinishRunAsync(runId);
            }
        }

        return runIds.Count;
    }

    /// <summary>The name of this process as a runner of the units it plans itself (<c>host/process/run</c>).</summary>
    public static string ThisProcessRunner() =>
        string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}");

    /// <summary>Whether a lease owner (<c>host/process/attempt</c>) is a process of this machine that has ended.</summary>
    private static bool IsDeadHere(string owner)
    {
        var parts = owner.Split('/');
        if (parts.Length != 3 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
    }

    /// <summary>
    /// Renews the units' leases every third of their length until stopped; a renewal refused means a lease is lost. A unit
    /// committed meanwhile holds no lease any more and is not renewed.
    /// </summary>
    private async Task HeartbeatAsync(List<UnitKey> units, System.Collections.Concurrent.ConcurrentDictionary<UnitKey, bool> settled, string owner, TimeSpan lease,
        CancellationTokenSource lost, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(lease / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                foreach (var unit in units)
                {
                    if (!settled.ContainsKey(unit) && !await runs.RenewLeaseAsync(unit, owner, lease, stop) && !settled.ContainsKey(unit))
                    {
                        await lost.CancelAsync();
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The unit is done.
        }
#pragma warning disable CA1031 // A renewal that fails (the database briefly away) is tried again at the next tick or runs out.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogWarning(e, "{Unit}: the lease could not be renewed", units[0]);
        }
    }

    /// <summary>
    /// The last unit of a run rolls the counties up to the region, once all of them are in, and re-scores the
    /// scoresheets that read the run's periods; only then is the run complete, so whoever sees it finished sees the
    /// region's figures and the sheets of this run.
    /// </summary>
    private async Task FinishRunAsync(long runId)
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

    /// <summary>Records units that will not run any more (the CLI was interrupted) as failed with the reason.</summary>
    public async Task AbandonAsync(IEnumerable<UnitKey> units, string reason)
    {
        ArgumentNullException.ThrowIfNull(units);
        long? runId = null;
        foreach (var unit in units)
        {
            await runs.FailUnitAsync(unit, reason, CancellationToken.None);
            runId = unit.RunId;
        }

        if (runId is { } id)
        {
            await runs.CompleteRunIfDoneAsync(id, reason, CancellationToken.None);
        }
    }

    private IConnector[] SelectConnectors(IReadOnlyList<string>? names)
    {
        if (names is { Count: > 0 })
        {
            try
            {
                return names.Select(registry.Get).ToArray();
            }
            catch (ArgumentException e)
            {
                throw new IngestionPlanException(e.Message);
            }
        }

        return registry.All.OrderBy(c => c.Name, StringComparer.Ordinal).ToArray();
    }

    private static string[]? NamedCounties(IReadOnlyList<string>? named)
    {
        if (named is not { Count: > 0 })
        {
            return null;
        }

        var bad = named.Where(c => c.Length != 6 || !c.All(char.IsAsciiDigit)).ToArray();
        if (bad.Length > 0)
        {
            throw new IngestionPlanException($"Not a county code: {string.Join(", ", bad)} (a county is its 6-digit division code, e.g. 640424).");
        }

        return named.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Every county of the region: the directory refreshed from its connector (archived under the run), then read back.</summary>
    private async Task<IReadOnlyList<string>> RegionCountiesAsync(long runId, CancellationToken ct)
    {
        if (registry.Directory is { } directory)
        {
            try
            {
                var context = new IngestionContext(runId, "directory", archive, runs, null);
                await organisations.UpsertAsync(await directory.ReadCountiesAsync(context, ct), ct);
            }
            catch (Exception e) when (e is ConnectorException or HttpRequestException or TimeoutException)
            {
                // A stale directory is better than no run: carry on with the counties already known.
                logger.LogWarning(e, "Could not refresh the county directory; using the counties already known");
            }
        }

        var known = await organisations.ListCountyCodesAsync(ct);
        return known.Count > 0 ? known
            : throw new IngestionPlanException(
                "No counties are known yet: name them (e.g. --county 640424) or register the connector that provides the organisation directory.");
    }

    private static string Describe(Exception e) => e switch
    {
        ConnectorException => e.Message,
        HttpRequestException h => string.Create(CultureInfo.InvariantCulture, $"HTTP error{(h.StatusCode is { } s ? $" {(int)s}" : string.Empty)}: {h.Message}"),
        TimeoutException => "Timed out: " + e.Message,
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
