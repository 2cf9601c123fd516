using System.Globalization;
using Ingest.Data.Runs;
using Microsoft.Extensions.Options;

namespace Ingest.Application.Ingestion;

/// <summary>
/// The leases units hold while a worker reads them, on any host: renewed while the work goes on, and settled by the sweep
/// when their worker stopped. Units that will not run any more are recorded as such.
/// </summary>
public sealed class UnitLeases(
    RunStore runs,
    UnitLeaseStore unitLeases,
    UnitOutcomeStore unitOutcomes,
    RunFinisher finisher,
    IOptionsMonitor<UnitOptions> unitOptions,
    TimeProvider time,
    ILogger<UnitLeases> logger)
{
    /// <summary>
    /// Settles the units whose worker stopped: every running unit whose lease ran out is marked interrupted with the
    /// reason, and each of their runs completes (rolled up, re-scored, partial) once all its units are settled. Safe on
    /// any host at any time; returns the units marked.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var settings = unitOptions.CurrentValue;
        // A worker of this machine whose process is gone cannot renew its lease: its units need not wait for it to run out.
        var dead = (await unitLeases.RunningOwnersAsync(cancellationToken)).Where(IsDeadHere).ToArray();
        var runIds = await unitLeases.InterruptExpiredAsync(settings.Deadline + settings.Lease, dead, cancellationToken);
        foreach (var runId in runIds)
        {
            logger.LogWarning("Run {RunId}: units whose worker stopped are marked interrupted", runId);
            if (await runs.AllUnitsDoneAsync(runId, cancellationToken))
            {
                await finisher.FinishAsync(runId);
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
    internal async Task HeartbeatAsync(List<UnitKey> units, System.Collections.Concurrent.ConcurrentDictionary<UnitKey, bool> settled, string owner, TimeSpan lease,
        CancellationTokenSource lost, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(lease / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                foreach (var unit in units)
                {
                    if (!settled.ContainsKey(unit) && !await unitLeases.RenewLeaseAsync(unit, owner, lease, stop) && !settled.ContainsKey(unit))
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

    /// <summary>Records units that will not run any more (the CLI was interrupted) as failed with the reason.</summary>
    public async Task AbandonAsync(IEnumerable<UnitKey> units, string reason)
    {
        ArgumentNullException.ThrowIfNull(units);
        long? runId = null;
        foreach (var unit in units)
        {
            await unitOutcomes.FailUnitAsync(unit, reason, CancellationToken.None);
            runId = unit.RunId;
        }

        if (runId is { } id)
        {
            await runs.CompleteRunIfDoneAsync(id, reason, CancellationToken.None);
        }
    }
}
