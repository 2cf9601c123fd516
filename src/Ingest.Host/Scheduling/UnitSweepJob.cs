using Hangfire;
using Ingest.Application.Ingestion;

namespace Ingest.Host.Scheduling;

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
