using System.Globalization;

namespace Ingest.Core.Periods;

/// <summary>Which published rubric a cycle rates against.</summary>
public enum RubricKind
{
    /// <summary>宁夏中小学"互联网+教育"智慧校园认定标准 (school star levels).</summary>
    School,

    /// <summary>"互联网+教育"示范区达标县综合评估细则 (100-point county standard).</summary>
    County,
}

/// <summary>
/// An evaluation cycle: a rubric rated in a year. It decides which periods of data the rating reads
/// (docs/domain.md, "Periods of a cycle").
/// </summary>
public sealed record EvaluationCycle(RubricKind Rubric, int Year)
{
    /// <summary>
    /// 上半年 of the rating year (1 January – 30 June): the half a county's bulletin counts a school's online lessons over
    /// (seed 002, written in September: "上半年在线课堂实开课程261节").
    /// </summary>
    public Period FirstHalf => Period.HalfYear(Year, 1);

    /// <summary>Parses <c>school:2024</c> or <c>county:2024</c>.</summary>
    /// <exception cref="FormatException">The text is not of that form.</exception>
    public static EvaluationCycle Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':', 2, StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && Enum.TryParse<RubricKind>(parts[0], ignoreCase: true, out var rubric)
            && Enum.IsDefined(rubric)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            && year is >= 2000 and <= 2100)
        {
            return new EvaluationCycle(rubric, year);
        }

        throw new FormatException($"“{text}”不是评价周期：应为 school:年份（学校星级认定）或 county:年份（达标县评估），如 school:2025");
    }

    /// <summary>Parses <c>school:2024</c> or <c>county:2024</c>; false for any other text.</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EvaluationCycle? cycle)
    {
        try
        {
            cycle = text is null ? null : Parse(text);
        }
        catch (FormatException)
        {
            cycle = null;
        }

        return cycle is not null;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Rubric.ToString().ToLowerInvariant()}:{Year}");
}

/// <summary>The periods a cycle reads, by role. Defaults follow docs/domain.md; each may be configured per cycle.</summary>
/// <param name="CalendarYear">年度 data: teacher points and activity, literacy, (county) sessions.</param>
/// <param name="SchoolYear">学年 data: school content, resources, student spaces, (school) sessions.</param>
/// <param name="InfrastructureExport">The night whose infrastructure export is read.</param>
public sealed record CyclePeriods(Period CalendarYear, Period SchoolYear, Period InfrastructureExport)
{
    /// <summary>
    /// School star cycle Y: calendar year Y−1, school year (Y−1)−Y, export of Y-06-30.
    /// County cycle Y: calendar year Y, school year (Y−1)−Y, export of Y-12-31.
    /// </summary>
    public static CyclePeriods DefaultFor(EvaluationCycle cycle)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        var y = cycle.Year;
        return cycle.Rubric switch
        {
            RubricKind.School => new(Period.CalendarYear(y - 1), Period.SchoolYear(y - 1), Period.Day(new DateOnly(y, 6, 30))),
            RubricKind.County => new(Period.CalendarYear(y), Period.SchoolYear(y - 1), Period.Day(new DateOnly(y, 12, 31))),
            _ => throw new ArgumentOutOfRangeException(nameof(cycle), cycle.Rubric, "Unknown rubric."),
        };
    }

    /// <summary>Every distinct period, in a stable order.</summary>
    public IReadOnlyList<Period> All() => new[] { CalendarYear, SchoolYear, InfrastructureExport }.Distinct().ToArray();
}
