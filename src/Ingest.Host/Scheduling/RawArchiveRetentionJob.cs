using Hangfire;
using Ingest.Application.Operations;

namespace Ingest.Host.Scheduling;

/// <summary>Every night: what is past its retention is pruned (<see cref="RetentionService"/>).</summary>
public sealed class RawArchiveRetentionJob(RetentionService retention)
{
    public const string RecurringJobId = "raw-archive-retention";

    [AutomaticRetry(Attempts = 1)]
    [DisableConcurrentExecution(timeoutInSeconds: 3600)]
    [JobDisplayName("prune the raw archive past its retention")]
    public Task<long> RunAsync(CancellationToken cancellationToken) => retention.PruneAsync(cancellationToken);
}
