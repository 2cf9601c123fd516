using System.Threading.RateLimiting;

namespace Ingest.Connectors.Http;

/// <summary>
/// The process-wide request budget for one upstream, shared by every read: at most a number of requests in
/// flight and a number per second. Requests over the budget wait in line rather than fail. Each connector
/// registers its own subclass, so two upstreams never share a budget.
/// </summary>
public abstract class UpstreamLimiter : IDisposable
{
    protected UpstreamLimiter(int maxConcurrentRequests, int requestsPerSecond, TimeProvider clock)
    {
        Concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = maxConcurrentRequests,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        Rate = new RequestRateLimiter(requestsPerSecond, clock);
    }

    public RateLimiter Concurrency { get; }

    public RateLimiter Rate { get; }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Concurrency.Dispose();
            Rate.Dispose();
        }
    }
}
