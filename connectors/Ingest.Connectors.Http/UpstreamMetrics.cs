using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Threading.RateLimiting;
using Polly.RateLimiting;

namespace Ingest.Connectors.Http;

/// <summary>
/// What the upstreams cost: error answers by code (HTTP status, or the Education Cloud's own code in a 200 envelope,
/// or <c>timeout</c> / <c>transport</c>) and the time requests wait on the request budget. The meter is
/// <see cref="MeterName"/>; the host exports it.
/// </summary>
public static class UpstreamMetrics
{
    public const string MeterName = "Ingest.Upstream";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Errors = Meter.CreateCounter<long>("ingest.upstream.errors", "{answer}",
        "Upstream answers that were errors, by connector and code (HTTP status, envelope code, timeout, transport)");

    private static readonly Histogram<double> RateLimitWait = Meter.CreateHistogram("ingest.upstream.rate_limit.wait", "s",
        "Time a request waited on the connector's request budget before it was sent",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.01, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60] });

    /// <summary>Counts an error answer of <paramref name="connector"/>.</summary>
    public static void Error(string connector, string code) =>
        Errors.Add(1, new KeyValuePair<string, object?>("connector", connector), new KeyValuePair<string, object?>("code", code));

    /// <summary>A rate limiter strategy over <paramref name="limiter"/> that records how long each request waited.</summary>
    public static RateLimiterStrategyOptions Timed(RateLimiter limiter, string connector, string budget) => new()
    {
        Name = budget,
        RateLimiter = async args =>
        {
            var start = Stopwatch.GetTimestamp();
            var lease = await limiter.AcquireAsync(1, args.Context.CancellationToken).ConfigureAwait(false);
            RateLimitWait.Record(Stopwatch.GetElapsedTime(start).TotalSeconds,
                new KeyValuePair<string, object?>("connector", connector), new KeyValuePair<string, object?>("budget", budget));
            return lease;
        },
    };
}

/// <summary>Inside each attempt: counts the attempt's error answer (status 400 and up, a timeout (the attempt's, mostly), a transport failure).</summary>
public sealed class UpstreamErrorsHandler(string connector) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if ((int)response.StatusCode >= 400)
            {
                UpstreamMetrics.Error(connector, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
            }

            return response;
        }
        catch (OperationCanceledException)
        {
            UpstreamMetrics.Error(connector, "timeout");
            throw;
        }
        catch (HttpRequestException)
        {
            UpstreamMetrics.Error(connector, "transport");
            throw;
        }
    }
}
