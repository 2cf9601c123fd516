using System.Globalization;

namespace Ingest.Core.Periods;

/// <summary>What kind of span a period covers.</summary>
public enum PeriodKind
{
    /// <summary>自然年: 1 January to 31 December, written <c>2023</c>.</summary>
    CalendarYear,

    /// <summary>学年: 1 September to 31 August, written <c>2023-2024</c>.</summary>
    SchoolYear,

    /// <summary>A single night, e.g. the infrastructure export of <c>2024-06-30</c>.</summary>
    Day,

    /// <summary>半年: 1 January to 30 June (<c>2023H1</c>, 上半年) or 1 July to 31 December (<c>2023H2</c>, 下半年), as a county bulletin counts lessons.</summary>
    HalfYear,
}

/// <summary>
/// A period of indicator data, identified by the code the upstreams use: <c>2023</c>,
/// <c>2023-2024</c> or <c>2024-06-30</c>; or a half of a calendar year, <c>2023H1</c>, which the service counts itself
/// from what the upstreams date. Both ends are inclusive.
/// </summary>
public readonly record struct Period
{
    private Period(PeriodKind kind, DateOnly start, DateOnly end, string code)
    {
        Kind = kind;
        Start = start;
        End = end;
        Code = code;
    }

    public PeriodKind Kind { get; }

    public DateOnly Start { get; }

    public DateOnly End { get; }

    /// <summary>The upstream's spelling, also the key stored with every fact.</summary>
    public string Code { get; }

    public static Period CalendarYear(int year) =>
        new(PeriodKind.CalendarYear, new DateOnly(year, 1, 1), new DateOnly(year, 12, 31),
            year.ToString(CultureInfo.InvariantCulture));

    /// <summary>The school year that starts in September of <paramref name="startYear"/>.</summary>
    public static Period SchoolYear(int startYear) =>
        new(PeriodKind.SchoolYear, new DateOnly(startYear, 9, 1), new DateOnly(startYear + 1, 8, 31),
            string.Create(CultureInfo.InvariantCulture, $"{startYear}-{startYear + 1}"));

    /// <summary>The first (1 January – 30 June) or second (1 July – 31 December) half of <paramref name="year"/>.</summary>
    public static Period HalfYear(int year, int half) => half switch
    {
        1 => new(PeriodKind.HalfYear, new DateOnly(year, 1, 1), new DateOnly(year, 6, 30), string.Create(CultureInfo.InvariantCulture, $"{year}H1")),
        2 => new(PeriodKind.HalfYear, new DateOnly(year, 7, 1), new DateOnly(year, 12, 31), string.Create(CultureInfo.InvariantCulture, $"{year}H2")),
        _ => throw new ArgumentOutOfRangeException(nameof(half), half, "A year has two halves."),
    };

    public static Period Day(DateOnly date) =>
        new(PeriodKind.Day, date, date, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    /// <summary>Parses <c>2023</c>, <c>2023-2024</c>, <c>2024-06-30</c> or <c>2023H1</c>.</summary>
    /// <exception cref="FormatException">The text is none of the three forms.</exception>
    public static Period Parse(string text)
    {
        if (TryParse(text, out var period))
        {
            return period;
        }

        throw new FormatException(
            $"“{text}”不是期间：应为自然年（2023）、学年（2023-2024）、日期（2024-06-30）或半年（2023H1）");
    }

    public static bool TryParse(string? text, out Period period)
    {
        period = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        var inv = CultureInfo.InvariantCulture;
        if (text.Length == 4 && int.TryParse(text, NumberStyles.None, inv, out var year) && year >= 1900)
        {
            period = CalendarYear(year);
            return true;
        }

        if (text.Length == 9 && text[4] == '-'
            && int.TryParse(text.AsSpan(0, 4), NumberStyles.None, inv, out var first)
            && int.TryParse(text.AsSpan(5, 4), NumberStyles.None, inv, out var second)
            && first >= 1900 && second == first + 1)
        {
            period = SchoolYear(first);
            return true;
        }

        if (text.Length == 6 && text[4] is 'H' or 'h' && text[5] is '1' or '2'
            && int.TryParse(text.AsSpan(0, 4), NumberStyles.None, inv, out var halfOf) && halfOf >= 1900)
        {
            period = HalfYear(halfOf, text[5] - '0');
            return true;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", inv, DateTimeStyles.None, out var day))
        {
            period = Day(day);
            return true;
        }

        return false;
    }

    public override string ToString() => Code;
}
