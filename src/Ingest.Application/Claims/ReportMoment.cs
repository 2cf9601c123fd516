using System.Globalization;

namespace Ingest.Application.Claims;

/// <summary>When a report stands: now, at a time, or at the end of a run.</summary>
public sealed record ReportMoment(DateTimeOffset? At = null, long? Run = null)
{
    public static ReportMoment Now { get; } = new();

    /// <summary>The moment a report stands at: a time (ISO 8601; without an offset, Beijing time) or a run's end, as typed; null when neither reads.</summary>
    public static ReportMoment? Parse(string? asOf, string? run)
    {
        if (!string.IsNullOrWhiteSpace(asOf) && !string.IsNullOrWhiteSpace(run))
        {
            return null;
        }

        if (!string.IsNullOrWhiteSpace(run))
        {
            return long.TryParse(run, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? new ReportMoment(Run: id) : null;
        }

        if (string.IsNullOrWhiteSpace(asOf))
        {
            return ReportMoment.Now;
        }

        // A time without an offset is read as Beijing time, the time people here write.
        if (!DateTime.TryParse(asOf, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            return null;
        }

        return parsed.Kind == DateTimeKind.Unspecified
            ? new ReportMoment(new DateTimeOffset(parsed, TimeSpan.FromHours(8)))
            : new ReportMoment(DateTimeOffset.Parse(asOf, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
    }
}
