using System.ComponentModel.DataAnnotations;

namespace Ingest.Application.Ingestion;

/// <summary>How runs are scheduled and fanned out (section <c>Ingest:Schedule</c>).</summary>
public sealed class ScheduleOptions : IValidatableObject
{
    public const string Section = "Ingest:Schedule";

    /// <summary>Cron of the nightly ingestion, in <see cref="TimeZone"/>. Default 01:30 every night.</summary>
    [Required(ErrorMessage = "必须设置 Ingest:Schedule:NightlyCron")]
    public string NightlyCron { get; set; } = "30 1 * * *";

    /// <summary>Time zone of the cron (IANA id). Default <c>Asia/Shanghai</c>, the upstreams' time.</summary>
    [Required(ErrorMessage = "必须设置 Ingest:Schedule:TimeZone")]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Evaluation cycles the nightly run ingests, e.g. <c>school:2025</c>, <c>county:2025</c>.</summary>
    public IList<string> Cycles { get; } = [];

    /// <summary>Units a CLI <c>ingest</c> runs at once. Default 4.</summary>
    [Range(1, 64, ErrorMessage = "Ingest:Schedule:CliParallelism 应在 1 到 64 之间")]
    public int CliParallelism { get; set; } = 4;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TryFindTimeZone(TimeZone, out _))
        {
            yield return new ValidationResult($"Ingest:Schedule:TimeZone 的“{TimeZone}”不是已知的时区（如 Asia/Shanghai）", [nameof(TimeZone)]);
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
    public TimeZoneInfo Zone => TryFindTimeZone(TimeZone, out var zone) ? zone : throw new InvalidOperationException($"Ingest:Schedule:TimeZone 的“{TimeZone}”不是已知的时区（如 Asia/Shanghai）");

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
