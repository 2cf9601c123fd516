using System.Globalization;
using System.Text.Json.Nodes;
using Ingest.Connectors.Progress.Api;
using Ingest.Core.Connectors;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;

namespace Ingest.Connectors.Progress.Normalization;

public static partial class ProgressNormalizer
{
    /// <summary>
    /// Online lessons per school (COMPLETED sessions it hosts or receives, one lesson each), lessons per teaching week,
    /// and the classroom application index (COMPLETED sessions held in enabled classrooms ÷ those classrooms) per
    /// school and for the county. Sessions of classrooms that are disabled or of another county do not count for the index.
    /// </summary>
    /// <param name="teachingWeeks">Teaching weeks of the period (configured per school year; 35 by default).</param>
    public static NormalizedRows Sessions(string countyCode, Period period, IReadOnlyCollection<Organisation> schools,
        IReadOnlyCollection<ClassroomDto> classrooms, IEnumerable<SessionDto> sessions, decimal teachingWeeks)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        var tally = new SessionTally(period, schools);
        foreach (var session in sessions)
        {
            tally.Add(session);
        }

        return tally.Normalize(countyCode, classrooms, teachingWeeks);
    }

    /// <summary>
    /// Lessons by week (the Monday it starts on, Beijing time), weeks without any left out: the series the end-of-term
    /// check reads (期末突击).
    /// </summary>
    private static JsonObject Weeks(SortedDictionary<DateOnly, int> lessons)
    {
        var weeks = new JsonObject();
        foreach (var (week, count) in lessons.Where(w => w.Value > 0))
        {
            weeks[week.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)] = count;
        }

        return weeks;
    }

    private static DateOnly WeekOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    /// <summary>
    /// Whether a session of a listing read for a wider window is <paramref name="period"/>'s: it starts within it
    /// (Beijing time, as the system files them), or the listing returned it outside the whole window, and then every
    /// period of the window counts it, as a read of its own would have.
    /// </summary>
    public static bool InShare(Period period, DateOnly windowFirst, DateOnly windowLast, SessionDto session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var day = Beijing(session.Start);
        return day < windowFirst || day > windowLast || (day >= period.Start && day <= period.End);
    }

    private static DateOnly Beijing(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(TimeSpan.FromHours(8)).DateTime);
}
