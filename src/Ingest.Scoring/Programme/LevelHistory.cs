using Ingest.Core.Levels;

namespace Ingest.Scoring.Programme;

/// <summary>What the register of levels says of one school: the level it holds, and since when it has not moved up.</summary>
public static class LevelHistory
{
    /// <summary>The entry whose level the school holds at the end of <paramref name="year"/>, or null: it was never rated.</summary>
    public static LevelEntry? HeldAt(IEnumerable<LevelEntry> entries, int year) =>
        LevelEntry.InOrder(entries.Where(e => e.Year <= year)).LastOrDefault();

    /// <summary>
    /// 第十四条 (连续三年不能晋级): the school holds 二、三 or 四星级 at the end of <paramref name="year"/>, and its last
    /// move (a level above the one held before it, or the department's 降低, from which the years count again) was in
    /// <paramref name="year"/> − <paramref name="years"/> or before: in none of the <paramref name="years"/> years since did
    /// it move up, whether it applied or not. Returns the level held each year from that move, or null.
    /// </summary>
    public static IReadOnlyList<YearLevel>? WithoutAdvance(IEnumerable<LevelEntry> entries, int year, int years)
    {
        var ordered = LevelEntry.InOrder(entries.Where(e => e.Year <= year)).ToArray();
        if (ordered.Length == 0 || ordered[^1].Stars is < 2 or > 4)
        {
            return null;
        }

        var held = 0;
        var moved = ordered[0].Year;
        foreach (var e in ordered)
        {
            if (e.Action == LevelAction.Lower || e.Stars > held)
            {
                moved = e.Year;
            }

            held = e.Stars;
        }

        if (moved > year - years)
        {
            return null;
        }

        return Enumerable.Range(moved, year - moved + 1).Select(y => new YearLevel(y, HeldAt(ordered, y)!.Stars)).ToArray();
    }
}
