using Ingest.Core.Connectors;
using Ingest.Data.Organisations;
using Ingest.Data.Raw;
using Ingest.Data.Runs;
using Microsoft.Extensions.Options;

namespace Ingest.Application.Ingestion;

/// <summary>
/// Reads a county's units of a run through their connector and commits each one, under a lease and a deadline; the last
/// unit of a run finishes it. Used by the Hangfire jobs and by the command line alike; correctness rests on the database.
/// </summary>
public sealed partial class CountyRunner(
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
}
