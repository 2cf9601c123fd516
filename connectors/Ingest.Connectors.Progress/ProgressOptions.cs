using System.ComponentModel.DataAnnotations;
using Ingest.Connectors.Http;
using Ingest.Core.Periods;

namespace Ingest.Connectors.Progress;

/// <summary>
/// Settings of the progress-system connector, section <c>Connectors:Progress</c>. Validated at start-up when
/// <see cref="UpstreamOptions.Enabled"/>; every message names its key. Defaults follow the upstream's documented limits.
/// </summary>
public sealed class ProgressOptions : UpstreamOptions, IValidatableObject
{
    public const string Section = "Connectors:Progress";

    public ProgressOptions()
    {
        RequestsPerSecond = 5;
        MaxConcurrentRequests = 2;
        AttemptTimeout = TimeSpan.FromSeconds(60);
        RetryDelay = TimeSpan.FromSeconds(1);
    }

    protected override string SectionName => Section;

    protected override (int RequestsPerSecond, int Concurrent) Ceilings => (5, 16);

    protected override string ThrottleNote => "进展系统对每个密钥超过每秒 5 次即限流";

    protected override string BaseUrlExample => "进展系统接口的地址，如 https://progress.example/";

    /// <summary>The key sent in <c>X-Api-Key</c>: from the environment (<c>Connectors__Progress__ApiKey</c>) or user secrets, never a committed file.</summary>
    [Required(ErrorMessage = "必须设置 Connectors:Progress:ApiKey：用环境变量 Connectors__Progress__ApiKey 或用户机密设置，不要写进 appsettings.json")]
    public string? ApiKey { get; set; }

    /// <summary>Sessions per page (the API allows at most 1000).</summary>
    [Range(1, 1000, ErrorMessage = "Connectors:Progress:SessionsPageSize 应在 1 到 1000 之间（1000 是接口允许的最大值）")]
    public int SessionsPageSize { get; set; } = 1000;

    /// <summary>
    /// Reads of a session window (the first included) before the county's session stream is failed: a listing that
    /// shifts while it is paged is read again in narrower date windows until every window reads consistently.
    /// </summary>
    [Range(1, 200, ErrorMessage = "Connectors:Progress:SessionWindowReads 应在 1 到 200 之间")]
    public int SessionWindowReads { get; set; } = 24;

    /// <summary>Earlier nights tried when the asked night has no export (docs/domain.md: the latest within the 7 nights before).</summary>
    [Range(0, 31, ErrorMessage = "Connectors:Progress:ExportFallbackNights 应在 0 到 31 之间")]
    public int ExportFallbackNights { get; set; } = 7;

    /// <summary>Teaching weeks of a school year unless <see cref="TeachingWeeks"/> names it (the national curriculum plan: 35).</summary>
    [Range(typeof(decimal), "1", "52", ErrorMessage = "Connectors:Progress:DefaultTeachingWeeks 应在 1 到 52 之间")]
    public decimal DefaultTeachingWeeks { get; set; } = 35;

    /// <summary>Teaching weeks by school year (<c>"2023-2024": 36</c>), where a year differs from the default.</summary>
    public Dictionary<string, decimal> TeachingWeeks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Teaching weeks of a period: a school year's own figure; a calendar year takes half of each school year it overlaps;
    /// a half year (a spring or an autumn term) half of its calendar year's.
    /// </summary>
    public decimal WeeksOf(Period period) => period.Kind switch
    {
        PeriodKind.SchoolYear => WeeksOfSchoolYear(period.Start.Year),
        PeriodKind.CalendarYear => (WeeksOfSchoolYear(period.Start.Year - 1) + WeeksOfSchoolYear(period.Start.Year)) / 2,
        PeriodKind.HalfYear => (WeeksOfSchoolYear(period.Start.Year - 1) + WeeksOfSchoolYear(period.Start.Year)) / 4,
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, "Lessons per week are counted over a calendar year, a half year or a school year."),
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
                yield return new ValidationResult($"Connectors:Progress:TeachingWeeks:{year} 应在 1 到 52 之间，现为 {weeks}", [nameof(TeachingWeeks)]);
            }
        }
    }

    private decimal WeeksOfSchoolYear(int startYear) =>
        TeachingWeeks.TryGetValue(Period.SchoolYear(startYear).Code, out var weeks) ? weeks : DefaultTeachingWeeks;
}
