using System.ComponentModel.DataAnnotations;
using Ingest.Core.Periods;

namespace Ingest.Connectors.Progress;

/// <summary>
/// Settings of the progress-system connector, section <c>Connectors:Progress</c>. Validated at start-up when
/// <see cref="Enabled"/>; every message names its key. Defaults follow the upstream's documented limits.
/// </summary>
public sealed class ProgressOptions : IValidatableObject
{
    public const string Section = "Connectors:Progress";

    /// <summary>Registers the connector. Off by default: a deployment without access to the system runs without it.</summary>
    public bool Enabled { get; set; }

    /// <summary>Base URL of the API (per deployment).</summary>
    [Required(ErrorMessage = "Connectors:Progress:BaseUrl is required (the progress system's base URL, e.g. https://progress.example/).")]
    public Uri? BaseUrl { get; set; }

    /// <summary>The key sent in <c>X-Api-Key</c>: from the environment (<c>Connectors__Progress__ApiKey</c>) or user secrets, never a committed file.</summary>
    [Required(ErrorMessage = "Connectors:Progress:ApiKey is required: set the environment variable Connectors__Progress__ApiKey or a user secret, never appsettings.json.")]
    public string? ApiKey { get; set; }

    /// <summary>Sessions per page (the API allows at most 1000).</summary>
    [Range(1, 1000, ErrorMessage = "Connectors:Progress:SessionsPageSize must be between 1 and 1000 (the API's maximum).")]
    public int SessionsPageSize { get; set; } = 1000;

    /// <summary>
    /// Reads of a session window (the first included) before the county's session stream is failed: a listing that
    /// shifts while it is paged is read again in narrower date windows until every window reads consistently.
    /// </summary>
    [Range(1, 200, ErrorMessage = "Connectors:Progress:SessionWindowReads must be between 1 and 200.")]
    public int SessionWindowReads { get; set; } = 24;

    /// <summary>Earlier nights tried when the asked night has no export (docs/domain.md: the latest within the 7 nights before).</summary>
    [Range(0, 31, ErrorMessage = "Connectors:Progress:ExportFallbackNights must be between 0 and 31.")]
    public int ExportFallbackNights { get; set; } = 7;

    /// <summary>Teaching weeks of a school year unless <see cref="TeachingWeeks"/> names it (the national curriculum plan: 35).</summary>
    [Range(typeof(decimal), "1", "52", ErrorMessage = "Connectors:Progress:DefaultTeachingWeeks must be between 1 and 52.")]
    public decimal DefaultTeachingWeeks { get; set; } = 35;

    /// <summary>Teaching weeks by school year (<c>"2023-2024": 36</c>), where a year differs from the default.</summary>
    public Dictionary<string, decimal> TeachingWeeks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Requests per second this process sends; the system throttles above 5 per key. Several hosts share a key's budget.</summary>
    [Range(1, 5, ErrorMessage = "Connectors:Progress:RequestsPerSecond must be between 1 and 5 (the system throttles above 5 per key).")]
    public int RequestsPerSecond { get; set; } = 5;

    /// <summary>Requests in flight at once from this process.</summary>
    [Range(1, 16, ErrorMessage = "Connectors:Progress:MaxConcurrentRequests must be between 1 and 16.")]
    public int MaxConcurrentRequests { get; set; } = 2;

    /// <summary>
    /// The most bytes one answer (a page, or an export file) may have; a larger one fails its stream with the reason
    /// instead of filling the host's memory. Default 64 MiB.
    /// </summary>
    [Range(256L, 4L * 1024 * 1024 * 1024, ErrorMessage = "Connectors:Progress:MaxPageBytes must be between 256 bytes and 4 GiB.")]
    public long MaxPageBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Time one attempt may take before it is abandoned and retried.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:10:00", ErrorMessage = "Connectors:Progress:AttemptTimeout must be between 0.1 s and 10 min.")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Time one request may take with all its retries.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Connectors:Progress:TotalTimeout must be between 1 s and 1 h.")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Retries of a 503 (honouring Retry-After), a 500 under load, or a timed-out attempt.</summary>
    [Range(1, 20, ErrorMessage = "Connectors:Progress:MaxRetries must be between 1 and 20.")]
    public int MaxRetries { get; set; } = 6;

    /// <summary>First delay of the jittered exponential backoff; a 503's Retry-After takes precedence.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00", ErrorMessage = "Connectors:Progress:RetryDelay must be between 0 and 5 min.")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A stream that returns no rows where the previous run kept at least this many is flagged and its facts are not replaced.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Connectors:Progress:ZeroRowsFlagThreshold must be at least 1.")]
    public int ZeroRowsFlagThreshold { get; set; } = 10;

    /// <summary>Teaching weeks of a period: a school year's own figure; a calendar year takes half of each school year it overlaps.</summary>
    public decimal WeeksOf(Period period) => period.Kind switch
    {
        PeriodKind.SchoolYear => WeeksOfSchoolYear(period.Start.Year),
        PeriodKind.CalendarYear => (WeeksOfSchoolYear(period.Start.Year - 1) + WeeksOfSchoolYear(period.Start.Year)) / 2,
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, "Lessons per week are counted over a calendar or school year."),
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (year, weeks) in TeachingWeeks)
        {
            if (!Period.TryParse(year, out var p) || p.Kind != PeriodKind.SchoolYear)
            {
                yield return new ValidationResult($"Connectors:Progress:TeachingWeeks:{year} does not name a school year (e.g. 2023-2024).", [nameof(TeachingWeeks)]);
            }
            else if (weeks is < 1 or > 52)
            {
                yield return new ValidationResult($"Connectors:Progress:TeachingWeeks:{year} must be between 1 and 52, not {weeks}.", [nameof(TeachingWeeks)]);
            }
        }
    }

    private decimal WeeksOfSchoolYear(int startYear) =>
        TeachingWeeks.TryGetValue(Period.SchoolYear(startYear).Code, out var weeks) ? weeks : DefaultTeachingWeeks;
}
