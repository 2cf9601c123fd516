using Hangfire;
using Ingest.Application.Ingestion;
using Ingest.Data.Audit;
using Ingest.Host.Scheduling;

namespace Ingest.Host.Operations;

/// <summary>
/// Starts a run on a person's request, from the API or the runs page alike: plans it, queues one Hangfire job per unit
/// (any host's workers take them), and records who asked in the audit trail.
/// </summary>
public sealed class RunStarter(IngestionService ingestion, IBackgroundJobClient jobs)
{
    /// <exception cref="IngestionPlanException">The request cannot be planned; the message says why.</exception>
    public async Task<PlannedRun> StartAsync(IngestionRequest request, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var run = await ingestion.PlanAsync(request, by, ct);
        UnitJob.EnqueueAll(jobs, run);
        return run;
    }
}
