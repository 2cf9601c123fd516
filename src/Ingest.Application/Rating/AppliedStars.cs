namespace Ingest.Application.Rating;

/// <summary>
/// 申报星级: the level a school applies for. The rule lives here; the page, the API and the CLI only read what was typed,
/// and the database's CHECK is the last guard.
/// </summary>
public static class AppliedStars
{
    public const int Lowest = 1;

    public const int Highest = 5;

    /// <summary>Whether a school may apply for <paramref name="stars"/>.</summary>
    public static bool Accepts(int stars) => stars is >= Lowest and <= Highest;
}
