using System.Globalization;
using Microsoft.Extensions.Options;

namespace Ingest.Connectors.Http;

/// <summary>
/// What every upstream's settings hold: where it is, this process's share of its request budget, the bounds of one
/// answer and one request, the retries, and when a stream that comes back empty is distrusted. Each connector's options
/// derive from it with their section, the upstream's documented limits and their defaults; every message names its key.
/// </summary>
public abstract class UpstreamOptions
{
    /// <summary>The configuration section (<c>Connectors:…</c>).</summary>
    protected abstract string SectionName { get; }

    /// <summary>The upstream's own ceiling on requests per second, and on requests in flight this process may set.</summary>
    protected abstract (int RequestsPerSecond, int Concurrent) Ceilings { get; }

    /// <summary>Why the requests-per-second ceiling is what it is ("the platform throttles above 20 per client").</summary>
    protected abstract string ThrottleNote { get; }

    /// <summary>An example base URL, for the message when none is set.</summary>
    protected abstract string BaseUrlExample { get; }

    /// <summary>Registers the connector. Off by default: a deployment without access to the upstream runs without it.</summary>
    public bool Enabled { get; set; }

    /// <summary>Base URL of the API (per deployment).</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Requests per second this process sends. Several hosts share the upstream's budget: give each its part.</summary>
    public int RequestsPerSecond { get; set; }

    /// <summary>Requests in flight at once from this process.</summary>
    public int MaxConcurrentRequests { get; set; }

    /// <summary>
    /// The most bytes one answer (a page, or an export file) may have; a larger one fails its stream with the reason
    /// instead of filling the host's memory. Default 64 MiB.
    /// </summary>
    public long MaxPageBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Time one attempt may take before it is abandoned and retried.</summary>
    public TimeSpan AttemptTimeout { get; set; }

    /// <summary>Time one request may take with all its retries.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Retries of a throttled, failed or timed-out attempt.</summary>
    public int MaxRetries { get; set; } = 6;

    /// <summary>First delay of the jittered exponential backoff; a Retry-After takes precedence.</summary>
    public TimeSpan RetryDelay { get; set; }

    /// <summary>A stream that returns no rows where the previous run kept at least this many is flagged and its facts are not replaced.</summary>
    public int ZeroRowsFlagThreshold { get; set; } = 10;

    /// <summary>The failures of the shared settings, each naming its key; none when they hold.</summary>
    public IEnumerable<string> SharedFailures()
    {
        var (rate, concurrent) = Ceilings;
        if (BaseUrl is null)
        {
            yield return $"必须设置 {SectionName}:BaseUrl（{BaseUrlExample}）";
        }

        if (RequestsPerSecond < 1 || RequestsPerSecond > rate)
        {
            yield return Between(nameof(RequestsPerSecond), $"1 到 {rate}", ThrottleNote);
        }

        if (MaxConcurrentRequests < 1 || MaxConcurrentRequests > concurrent)
        {
            yield return Between(nameof(MaxConcurrentRequests), $"1 到 {concurrent}");
        }

        if (MaxPageBytes is < 256L or > 4L * 1024 * 1024 * 1024)
        {
            yield return Between(nameof(MaxPageBytes), "256 字节到 4 GiB");
        }

        if (AttemptTimeout < TimeSpan.FromSeconds(0.1) || AttemptTimeout > TimeSpan.FromMinutes(10))
        {
            yield return Between(nameof(AttemptTimeout), "0.1 秒到 10 分钟");
        }

        if (TotalTimeout < TimeSpan.FromSeconds(1) || TotalTimeout > TimeSpan.FromHours(1))
        {
            yield return Between(nameof(TotalTimeout), "1 秒到 1 小时");
        }

        if (MaxRetries is < 1 or > 20)
        {
            yield return Between(nameof(MaxRetries), "1 到 20");
        }

        if (RetryDelay < TimeSpan.Zero || RetryDelay > TimeSpan.FromMinutes(5))
        {
            yield return Between(nameof(RetryDelay), "0 到 5 分钟");
        }

        if (ZeroRowsFlagThreshold < 1)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{nameof(ZeroRowsFlagThreshold)} 至少为 1");
        }
    }

    private string Between(string key, string range, string? note = null) => $"{SectionName}:{key} 应在 {range} 之间" + (note is null ? string.Empty : $"（{note}）");
}

/// <summary>Validates the shared settings of an upstream's options, beside the data annotations of its own.</summary>
public sealed class UpstreamOptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : UpstreamOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.SharedFailures().ToArray();
        return failures.Length == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
