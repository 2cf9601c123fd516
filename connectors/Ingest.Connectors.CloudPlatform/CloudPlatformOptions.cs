using System.ComponentModel.DataAnnotations;

namespace Ingest.Connectors.CloudPlatform;

/// <summary>
/// Settings of the Education Cloud connector, section <c>Connectors:CloudPlatform</c>. Validated at start-up
/// when <see cref="Enabled"/>; every message names its key. Defaults follow the upstream's documented limits.
/// </summary>
public sealed class CloudPlatformOptions
{
    public const string Section = "Connectors:CloudPlatform";

    /// <summary>Registers the connector. Off by default: a deployment that has no access to the platform runs without it.</summary>
    public bool Enabled { get; set; }

    /// <summary>Base URL of the open API (no fixed host; per deployment).</summary>
    [Required(ErrorMessage = "Connectors:CloudPlatform:BaseUrl is required (the open API's base URL, e.g. https://cloud.example/).")]
    public Uri? BaseUrl { get; set; }

    /// <summary>OAuth2 client id.</summary>
    [Required(ErrorMessage = "Connectors:CloudPlatform:ClientId is required.")]
    public string? ClientId { get; set; }

    /// <summary>OAuth2 client secret: from the environment (<c>Connectors__CloudPlatform__ClientSecret</c>) or user secrets, never a committed file.</summary>
    [Required(ErrorMessage = "Connectors:CloudPlatform:ClientSecret is required: set the environment variable Connectors__CloudPlatform__ClientSecret or a user secret, never appsettings.json.")]
    public string? ClientSecret { get; set; }

    /// <summary>Rows per page of page-style listings (the API allows at most 500).</summary>
    [Range(1, 500, ErrorMessage = "Connectors:CloudPlatform:PageSize must be between 1 and 500 (the API's maximum).")]
    public int PageSize { get; set; } = 500;

    /// <summary>Rows per page of cursor-style listings (the API allows at most 1000).</summary>
    [Range(1, 1000, ErrorMessage = "Connectors:CloudPlatform:CursorLimit must be between 1 and 1000 (the API's maximum).")]
    public int CursorLimit { get; set; } = 1000;

    /// <summary>Requests per second this process sends; the platform throttles above 20 per client.
    /// Several hosts share the client's budget: give each its part.</summary>
    [Range(1, 20, ErrorMessage = "Connectors:CloudPlatform:RequestsPerSecond must be between 1 and 20 (the platform throttles above 20 per client).")]
    public int RequestsPerSecond { get; set; } = 20;

    /// <summary>Requests in flight at once from this process.</summary>
    [Range(1, 64, ErrorMessage = "Connectors:CloudPlatform:MaxConcurrentRequests must be between 1 and 64.")]
    public int MaxConcurrentRequests { get; set; } = 8;

    /// <summary>
    /// The most bytes one answer (a page, or an export file) may have; a larger one fails its stream with the reason
    /// instead of filling the host's memory. Default 64 MiB.
    /// </summary>
    [Range(256L, 4L * 1024 * 1024 * 1024, ErrorMessage = "Connectors:CloudPlatform:MaxPageBytes must be between 256 bytes and 4 GiB.")]
    public long MaxPageBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Time one attempt may take before it is abandoned and retried (calls can hang over 60 s at night).</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:10:00", ErrorMessage = "Connectors:CloudPlatform:AttemptTimeout must be between 0.1 s and 10 min.")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time one request may take with all its retries.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Connectors:CloudPlatform:TotalTimeout must be between 1 s and 1 h.")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Retries of a throttled (429), failed (5xx) or timed-out attempt.</summary>
    [Range(1, 20, ErrorMessage = "Connectors:CloudPlatform:MaxRetries must be between 1 and 20.")]
    public int MaxRetries { get; set; } = 6;

    /// <summary>First delay of the jittered exponential backoff; a 429's Retry-After takes precedence.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00", ErrorMessage = "Connectors:CloudPlatform:RetryDelay must be between 0 and 5 min.")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Retries of an envelope code 50000 (internal error, "retry later").</summary>
    [Range(0, 10, ErrorMessage = "Connectors:CloudPlatform:InternalErrorRetries must be between 0 and 10.")]
    public int InternalErrorRetries { get; set; } = 3;

    /// <summary>Restarts of a stream whose cursor expired (40401) before the county is failed.</summary>
    [Range(0, 10, ErrorMessage = "Connectors:CloudPlatform:CursorRestarts must be between 0 and 10.")]
    public int CursorRestarts { get; set; } = 3;

    /// <summary>A stream that returns no rows where the previous run kept at least this many is flagged and its facts are not replaced.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Connectors:CloudPlatform:ZeroRowsFlagThreshold must be at least 1.")]
    public int ZeroRowsFlagThreshold { get; set; } = 10;
}
