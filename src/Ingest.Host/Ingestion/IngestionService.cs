using System.Globalization;
using Ingest.Core.Connectors;
using Ingest.Core.Periods;
using Ingest.Data.Facts;
using Ingest.Data.Organisations;
using Ingest.Data.Raw;
using Ingest.Data.Runs;
using Ingest.Host.Scoring;
using Microsoft.Extensions.Options;

namespace Ingest.Host.Ingestion;

/// <summary>What to ingest.</summary>
/// <param name="Trigger">schedule, cli or api.</param>
/// <param name="Cycle">An evaluation cycle: every period it needs is read.</param>
/// <param name="Period">Or one explicit period.</param>
/// <param name="Counties">Counties to read; null or empty for every county of the region.</param>
/// <param name="Connectors">Connectors to use; null or empty for all.</param>
/// <param name="DedupeKey">Makes a repeated request return the same run.</param>
public sealed record IngestionRequest(
    string Trigger,
    EvaluationCycle? Cycle,
    Period? Period,
    IReadOnlyList<string>? Counties = null,
    IReadOnlyList<string>? Connectors = null,
    string? DedupeKey = null,
    string? Runner = null);

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
    RegionAggregator region,
    ScoresheetService scoresheets,
    IConfiguration configuration,
    IOptionsMonitor<UnitOptions> unitOptions,
    Operations.RunAlerts alerts,
    ILogger<IngestionService> logger)
{
    /// <summary>The periods a cycle reads: docs/domain.md's defaults, overridden by <c>Ingest:CyclePeriods:{cycle}</c>.</summary>
    public CyclePeriods PeriodsOf(EvaluationCycle cycle) => CyclePeriodsResolver.Resolve(configuration, cycle);

    /// <summary>Creates the run (or finds it by its dedupe key) and registers its units.</summary>
    /// <exception cref="IngestionPlanException">Nothing can be read for the request.</exception>
    public async Task<PlannedRun> PlanAsync(IngestionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Whatever an earlier process left running when it died is settled first, so its runs do not stay open for ever.
        await SweepAsync(cancellationToken);
        var periods = request.Cycle is not null ? PeriodsOf(request.Cycle).All()
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
            new RunRequest(request.Trigger, request.Cycle?.ToString(), periods.Select(x => x.Code).ToArray(), named,
                connectors.Select(c => c.Name).ToArray(), Environment.MachineName, request.DedupeKey,
                // A period named by a person (not a cycle's night) re-reads the past: a backfill, which leaves last night's state alone.
                Backfill: request.Cycle is null && request.Trigger != "schedule", Runner: request.Runner),
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
        await runs.AddUnitsAsync(units, cancellationToken);
        if (units.Length == 0)
        {
            await runs.CompleteRunIfDoneAsync(runId, "Nothing to read: no registered connector reads these periods.", cancellationToken);
        }

        logger.LogInformation("Run {RunId}: {Units} units over {Counties} counties and periods {Periods}",
            runId, units.Length, counties.Count, string.Join(", ", periods));
        return new PlannedRun(runId, units, periods.Select(x => x.Code).ToArray(), counties);
    }

    /// <summary>
    /// Reads one unit through its connector and commits it. A failure is recorded against the unit with its
    /// reason and returned, never thrown: the run's other units go on.
    /// </summary>
    public async Task<UnitOutcome> RunUnitAsync(UnitKey unit, IProgress<(string Stream, long Rows)>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var settings = unitOptions.CurrentValue;
        var owner = ThisProcessRunner();
        switch (await runs.StartUnitAsync(unit, owner, settings.Lease, cancellationToken))
        {
            case UnitClaim.Done:
                return new UnitOutcome(unit, UnitStatus.Succeeded, 0, 0, 0, "already committed");
            case UnitClaim.Held:
                // Another worker runs it now (a doubled job): leave it alone, and never mark it failed.
                logger.LogInformation("{Unit} is running on another worker; this job leaves it", unit);
                return new UnitOutcome(unit, UnitStatus.Running, 0, 0, 0, "running on another worker");
        }

        // A trace per unit, and its duration by how it ended.
        using var activity = Operations.IngestTelemetry.Activities.StartActivity("ingest.unit");
        activity?.SetTag("ingest.run", unit.RunId).SetTag("ingest.connector", unit.Connector).SetTag("ingest.county", unit.CountyCode)
            .SetTag("ingest.period", unit.Period);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // The lease is renewed while the unit works; the deadline bounds the whole unit; either one stops the work.
        using var lost = new CancellationTokenSource();
        using var deadline = new CancellationTokenSource(settings.Deadline);
        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lost.Token, deadline.Token);
        using var stopHeartbeat = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(unit, owner, settings.Lease, lost, stopHeartbeat.Token);
        UnitOutcome outcome;
        try
        {
            var connector = registry.Get(unit.Connector);
            var context = new IngestionContext(unit.RunId, connector.Name, archive, runs, progress, registry.Directory, organisations, logger);
            var batch = await connector.ReadCountyAsync(new CountyWork(unit.RunId, unit.CountyCode, Period.Parse(unit.Period)), context, work.Token);
            outcome = await runs.CommitUnitAsync(unit, batch, owner, work.Token)
                ?? new UnitOutcome(unit, UnitStatus.Succeeded, 0, 0, 0, "committed or taken over by another worker");
            Operations.IngestTelemetry.Committed(unit, batch, outcome);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // Shutting down: the lease runs out and the unit is marked interrupted; a later attempt takes it up again.
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested)
        {
            // Another worker or the sweeper has the unit now: what this one read is dropped, and the unit is theirs to settle.
            logger.LogWarning("{Unit}: the lease was lost; the work is dropped", unit);
            return new UnitOutcome(unit, UnitStatus.Interrupted, 0, 0, 0, "lease lost");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            var reason = string.Create(CultureInfo.InvariantCulture, $"超过单元时限（{settings.Deadline}）仍未完成，已停止；本单元未写入任何数据");
            logger.LogWarning("{Unit} failed: {Reason}", unit, reason);
            await runs.FailUnitAsync(unit, reason, CancellationToken.None, owner);
            outcome = new UnitOutcome(unit, UnitStatus.Failed, 0, 0, 0, reason);
        }
#pragma warning disable CA1031 // Any failure of one unit is recorded with its reason; the other units must go on.
        catch (Exception e)
#pragma warning restore CA1031
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
            outcome = new UnitOutcome(unit, UnitStatus.Failed, 0, 0, 0, reason);
        }
        finally
        {
            await stopHeartbeat.CancelAsync();
            await heartbeat;
        }

        Operations.IngestTelemetry.UnitEnded(unit.Connector, outcome.Status, clock.Elapsed);
        activity?.SetTag("ingest.status", outcome.Status);
        if (outcome.Failed)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, outcome.Error);
        }

        if (await runs.AllUnitsDoneAsync(unit.RunId, CancellationToken.None))
        {
            await FinishRunAsync(unit.RunId);
        }

        return outcome;
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

    /// <summary>Whether a lease owner (<c>host/process/attempt</c>) is a process of this machine that has ended.</summary>
    /// <summary>The name of this process as a runner of the units it plans itself (<c>host/process/run</c>).</summary>
    public static string ThisProcessRunner() =>
        string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}");

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

    /// <summary>Renews the unit's lease every third of its length until stopped; a renewal refused means the lease is lost.</summary>
    private async Task HeartbeatAsync(UnitKey unit, string owner, TimeSpan lease, CancellationTokenSource lost, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(lease / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                if (!await runs.RenewLeaseAsync(unit, owner, lease, stop))
                {
                    await lost.CancelAsync();
                    return;
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
            logger.LogWarning(e, "{Unit}: the lease could not be renewed", unit);
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
