using Ingest.Core.Periods;
using Ingest.Data.Audit;
using Ingest.Data.Runs;

namespace Ingest.Application.Ingestion;

/// <summary>
/// Ingestion as the front ends call it: plan a run (<see cref="RunPlanner"/>), run a county's units
/// (<see cref="CountyRunner"/>), settle stopped workers' units (<see cref="UnitLeases"/>). The last unit of a run
/// finishes it (<see cref="RunFinisher"/>).
/// </summary>
public sealed class IngestionService(RunPlanner planner, CountyRunner runner, UnitLeases leases)
{
    /// <inheritdoc cref="RunPlanner.PeriodsOf"/>
    public CyclePeriods PeriodsOf(EvaluationCycle cycle) => planner.PeriodsOf(cycle);

    /// <inheritdoc cref="RunPlanner.PlanAsync(IngestionRequest, CancellationToken)"/>
    public Task<PlannedRun> PlanAsync(IngestionRequest request, CancellationToken cancellationToken) => planner.PlanAsync(request, cancellationToken);

    /// <inheritdoc cref="RunPlanner.PlanAsync(IngestionRequest, Actor?, CancellationToken)"/>
    public Task<PlannedRun> PlanAsync(IngestionRequest request, Actor? by, CancellationToken cancellationToken) => planner.PlanAsync(request, by, cancellationToken);

    /// <inheritdoc cref="CountyRunner.ExecuteAsync"/>
    public Task ExecuteAsync(PlannedRun run, int parallelism, Action<UnitOutcome> done, Func<string, IProgress<(string Stream, long Rows)>?> progress,
        CancellationToken cancellationToken) => runner.ExecuteAsync(run, parallelism, done, progress, cancellationToken);

    /// <inheritdoc cref="CountyRunner.RunUnitAsync"/>
    public Task<UnitOutcome> RunUnitAsync(UnitKey unit, IProgress<(string Stream, long Rows)>? progress, CancellationToken cancellationToken) =>
        runner.RunUnitAsync(unit, progress, cancellationToken);

    /// <inheritdoc cref="CountyRunner.RunCountyAsync"/>
    public Task<IReadOnlyList<UnitOutcome>> RunCountyAsync(IReadOnlyList<UnitKey> units, IProgress<(string Stream, long Rows)>? progress,
        CancellationToken cancellationToken) => runner.RunCountyAsync(units, progress, cancellationToken);

    /// <inheritdoc cref="UnitLeases.SweepAsync"/>
    public Task<int> SweepAsync(CancellationToken cancellationToken) => leases.SweepAsync(cancellationToken);

    /// <inheritdoc cref="UnitLeases.ThisProcessRunner"/>
    public static string ThisProcessRunner() => UnitLeases.ThisProcessRunner();

    /// <inheritdoc cref="UnitLeases.AbandonAsync"/>
    public Task AbandonAsync(IEnumerable<UnitKey> units, string reason) => leases.AbandonAsync(units, reason);
}
