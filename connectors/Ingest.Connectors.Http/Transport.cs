using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Ingest.Connectors.Http;

/// <summary>How a call that got no answer is recognised and described.</summary>
public static class Transport
{
    /// <summary>
    /// A call that got no answer once the pipeline's retries were spent: connection refused, timeouts, the limiter
    /// giving up. Refit wraps transport errors in <see cref="Refit.ApiRequestException"/>.
    /// </summary>
    public static bool IsFailure(Exception e, CancellationToken cancellationToken) =>
        e is Refit.ApiRequestException or TimeoutRejectedException or BrokenCircuitException or RateLimiterRejectedException or HttpRequestException
        || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>The innermost cause, which says what happened (<c>Connection refused (10.1.2.3:443)</c>).</summary>
    public static string Describe(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var inner = e;
        while (inner.InnerException is { } next && inner is Refit.ApiRequestException or HttpRequestException)
        {
            inner = next;
        }

        return $"{inner.GetType().Name}: {inner.Message}";
    }
}
