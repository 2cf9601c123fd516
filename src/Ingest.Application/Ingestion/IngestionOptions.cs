using System.ComponentModel.DataAnnotations;
using Ingest.Core.Periods;

namespace Ingest.Application.Ingestion;

/// <summary>How long a unit may hold its lease between renewals, and how long it may work at all (section <c>Ingest:Units</c>).</summary>
public sealed class UnitOptions
{
    public const string Section = "Ingest:Units";

    /// <summary>
    /// The lease a running unit holds and renews every third of it. When its process dies the lease runs out and the
    /// unit is marked interrupted within about this long. Default 2 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:03", "01:00:00", ErrorMessage = "Ingest:Units:Lease must be between 3 seconds and an hour.")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A unit still working after this long is stopped and fails with the reason; the rest of the run goes on. Default 2 hours.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Ingest:Units:Deadline must be between a second and a day.")]
    public TimeSpan Deadline { get; set; } = TimeSpan.FromHours(2);
}

/// <summary>How long the raw archive keeps upstream answers (section <c>Ingest:Retention</c>); the fact history is kept whole.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Ingest:Retention";

    /// <summary>Days an archived answer is kept (the evidence behind a figure, and re-normalisation). Default 365.</summary>
    [Range(1, 36500, ErrorMessage = "Ingest:Retention:RawPageDays must be between 1 and 36500.")]
    public int RawPageDays { get; set; } = 365;

    /// <summary>Pages deleted per short transaction. Default 5000.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Ingest:Retention:BatchSize must be between 1 and 1000000.")]
    public int BatchSize { get; set; } = 5000;
}

/// <summary>How runs are scheduled and fanned out (section <c>Ingest:Schedule</c>).</summary>
public sealed class ScheduleOptions : IValidatableObject
{
    public const string Section = "Ingest:Schedule";

    /// <summary>Cron of the nightly ingestion, in <see cref="TimeZone"/>. Default 01:30 every night.</summary>
    [Required(ErrorMessage = "Ingest:Schedule:NightlyCron is required.")]
    public string NightlyCron { get; set; } = "30 1 * * *";

    /// <summary>Time zone of the cron (IANA id). Default <c>Asia/Shanghai</c>, the upstreams' time.</summary>
    [Required(ErrorMessage = "Ingest:Schedule:TimeZone is required.")]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Evaluation cycles the nightly run ingests, e.g. <c>school:2025</c>, <c>county:2025</c>.</summary>
    public IList<string> Cycles { get; } = [];

    /// <summary>Units a CLI <c>ingest</c> runs at once. Default 4.</summary>
    [Range(1, 64, ErrorMessage = "Ingest:Schedule:CliParallelism must be between 1 and 64.")]
    public int CliParallelism { get; set; } = 4;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TryFindTimeZone(TimeZone, out _))
        {
            yield return new ValidationResult($"Ingest:Schedule:TimeZone '{TimeZone}' is not a known time zone.", [nameof(TimeZone)]);
        }

        foreach (var cycle in Cycles)
        {
            string? error = null;
            try
            {
                Core.Periods.EvaluationCycle.Parse(cycle);
            }
            catch (FormatException e)
            {
                error = $"Ingest:Schedule:Cycles: {e.Message}";
            }

            if (error is not null)
            {
                yield return new ValidationResult(error, [nameof(Cycles)]);
            }
        }
    }

    /// <summary>The time zone named by <see cref="TimeZone"/> (validated at start-up).</summary>
    public TimeZoneInfo Zone => TryFindTimeZone(TimeZone, out var zone) ? zone : throw new InvalidOperationException($"Ingest:Schedule:TimeZone '{TimeZone}' is not a known time zone.");

    internal static bool TryFindTimeZone(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (TimeZoneNotFoundException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
        catch (InvalidTimeZoneException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }
}

/// <summary>
/// Periods of a cycle where they differ from docs/domain.md's defaults (section <c>Ingest:CyclePeriods</c>, keyed by cycle,
/// e.g. <c>Ingest:CyclePeriods:county:2024:InfrastructureExport = 2024-12-30</c>).
/// </summary>
public sealed class CyclePeriodsOverride
{
    public string? CalendarYear { get; set; }

    public string? SchoolYear { get; set; }

    public string? InfrastructureExport { get; set; }
}

/// <summary>Resolves a cycle's periods: docs/domain.md's defaults, overridden by <c>Ingest:CyclePeriods:{cycle}</c>.</summary>
public static class CyclePeriodsResolver
{
    public static CyclePeriods Resolve(IConfiguration configuration, EvaluationCycle cycle)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(cycle);
        var defaults = CyclePeriods.DefaultFor(cycle);
        var o = configuration.GetSection("Ingest:CyclePeriods").GetSection(cycle.ToString()).Get<CyclePeriodsOverride>();
        if (o is null)
        {
            return defaults;
        }

        return new CyclePeriods(
            o.CalendarYear is null ? defaults.CalendarYear : Period.Parse(o.CalendarYear),
            o.SchoolYear is null ? defaults.SchoolYear : Period.Parse(o.SchoolYear),
            o.InfrastructureExport is null ? defaults.InfrastructureExport : Period.Parse(o.InfrastructureExport));
    }
}
