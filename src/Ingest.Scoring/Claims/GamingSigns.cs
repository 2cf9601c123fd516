using System.Globalization;
using System.Text.Json;
using Ingest.Core.Sheets;

namespace Ingest.Scoring.Claims;

/// <summary>A school's completed online lessons in one week (the Monday it starts on, Beijing time).</summary>
public sealed record WeekLessons(DateOnly Week, decimal Lessons);

/// <summary>
/// When a school's lessons in the last teaching weeks of a period count as a surge (期末突击): their weekly average above
/// <see cref="Multiple"/> times the school's weekly median over the period, and at least <see cref="MinimumLessons"/>
/// in those weeks, so a school that held one or two lessons is not flagged over a median of nought.
/// </summary>
public sealed record SurgeRule(decimal Multiple = 3, int Weeks = 4, decimal MinimumLessons = 8);

/// <summary>
/// 期末突击: a school whose completed online lessons in the last teaching weeks of a period exceed the rule's multiple
/// of its weekly median, with the weekly series as evidence. The teaching weeks are those in which the county held any
/// completed lesson (holidays hold none), from the school's first lesson of the period on; the school's weeks without a
/// lesson count as nought. A school whose first lesson falls in the last weeks has a median of nought.
/// </summary>
public sealed record EndOfTermSurge(string SchoolCode, string Period, decimal Median, decimal LastWeeksLessons, decimal Threshold,
    IReadOnlyList<DateOnly> LastWeeks, IReadOnlyList<WeekLessons> Series, FactEvidence School, FactEvidence County);

/// <summary>An item a school claimed beyond the data in two consecutive cycles.</summary>
public sealed record RepeatedExcess(string SchoolCode, string SchoolName, string Target, string Text, string PreviousCycle, decimal PreviousExcess,
    string Cycle, decimal Excess);

/// <summary>Signs of gaming in the data and in the claims, pure: the same facts and claims give the same signs.</summary>
public static class GamingSigns
{
    /// <summary>The indicator whose detail carries the weekly series.</summary>
    public const string LessonsIndicator = "progress.online_lessons";

    /// <summary>
    /// The school's surge in the period of <paramref name="school"/>, or null when there is none or the series is too short
    /// to tell (fewer teaching weeks than the rule's window and one more).
    /// </summary>
    /// <param name="school">The school's online lessons fact of the period, its detail holding <c>weeks</c>.</param>
    /// <param name="county">The county's online lessons fact of the same period: its weeks are the teaching weeks.</param>
    public static EndOfTermSurge? Surge(FactEvidence school, FactEvidence county, SurgeRule rule)
    {
        ArgumentNullException.ThrowIfNull(school);
        ArgumentNullException.ThrowIfNull(county);
        ArgumentNullException.ThrowIfNull(rule);
        var teaching = Weeks(county.Detail).Where(w => w.Value > 0).Select(w => w.Key).Order().ToArray();
        if (teaching.Length < rule.Weeks + 1)
        {
            return null;
        }

        var own = Weeks(school.Detail);
        if (!own.Any(w => w.Value > 0))
        {
            return null;
        }

        // The school's teaching weeks start with its first lesson of the period: weeks before it (a classroom opened
        // mid-period) are not a low baseline. A school whose first lesson falls in the last weeks had none before them.
        var first = own.Where(w => w.Value > 0).Min(w => w.Key);
        var window = teaching[^rule.Weeks..].Select(w => new WeekLessons(w, own.GetValueOrDefault(w))).ToArray();
        var series = teaching.Where(w => w >= first).Select(w => new WeekLessons(w, own.GetValueOrDefault(w))).ToArray();
        if (series.Length <= rule.Weeks)
        {
            series = window;
        }

        var median = series.Length > rule.Weeks ? Median(series.Select(s => s.Lessons).ToArray()) : 0;
        var last = window;
        var lessons = last.Sum(s => s.Lessons);
        var threshold = rule.Multiple * median * rule.Weeks;
        return lessons > threshold && lessons >= rule.MinimumLessons
            ? new EndOfTermSurge(school.OrgCode, school.Period, median, lessons, threshold, last.Select(s => s.Week).ToArray(), series, school, county)
            : null;
    }

    /// <summary>The items claimed beyond the data (高于数据 with excess points) in both cycles.</summary>
    public static IReadOnlyList<RepeatedExcess> Repeated(SchoolClaimsReport previous, string previousCycle, SchoolClaimsReport current, string cycle)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        var before = previous.Lines.Where(l => l.Verdict == ClaimVerdict.Above && l.Excess > 0).ToDictionary(l => l.Claim.Target, StringComparer.Ordinal);
        return current.Lines.Where(l => l.Verdict == ClaimVerdict.Above && l.Excess > 0 && before.ContainsKey(l.Claim.Target))
            .Select(l => new RepeatedExcess(current.SchoolCode, current.SchoolName, l.Claim.Target, l.Text, previousCycle, before[l.Claim.Target].Excess, cycle, l.Excess))
            .ToArray();
    }

    /// <summary>The weekly series of a lessons fact's detail: week → lessons; empty when the detail has none.</summary>
    public static IReadOnlyDictionary<DateOnly, decimal> Weeks(string? detail)
    {
        var weeks = new Dictionary<DateOnly, decimal>();
        if (detail is null)
        {
            return weeks;
        }

        using var json = JsonDocument.Parse(detail);
        if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("weeks", out var series) && series.ValueKind == JsonValueKind.Object)
        {
            foreach (var week in series.EnumerateObject())
            {
                weeks[DateOnly.ParseExact(week.Name, "yyyy-MM-dd", CultureInfo.InvariantCulture)] = week.Value.GetDecimal();
            }
        }

        return weeks;
    }

    private static decimal Median(decimal[] values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
