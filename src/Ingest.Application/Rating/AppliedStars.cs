using System.Globalization;

namespace Ingest.Application.Rating;

/// <summary>
/// 申报星级: the level a school applies for. The rule lives here; the page, the API and the CLI hand over what was typed,
/// and the database's CHECK is the last guard.
/// </summary>
public static class AppliedStars
{
    /// <summary>第十条 defines 二星级 to 五星级; there is no 一星级 to apply for.</summary>
    public const int Lowest = 2;

    public const int Highest = 5;

    /// <summary>Whether a school may apply for <paramref name="stars"/>.</summary>
    public static bool Accepts(int stars) => stars is >= Lowest and <= Highest;

    /// <summary>
    /// The level as typed: a whole number from <see cref="Lowest"/> to <see cref="Highest"/>, or nothing (null or blank) to
    /// withdraw the application. False, with the reason, for anything else (四, 2.5, 6).
    /// </summary>
    public static bool TryRead(string? text, out int? stars, out string? problem)
    {
        stars = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && Accepts(n))
        {
            stars = n;
            return true;
        }

        problem = $"申报星级“{text.Trim()}”无法识别：应为 {Lowest} 到 {Highest} 的整数；撤销申报时留空";
        return false;
    }
}
