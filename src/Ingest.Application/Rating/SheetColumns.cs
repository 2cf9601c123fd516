using Ingest.Core.Sheets;
using Ingest.Data.Scoresheets;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;

namespace Ingest.Application.Rating;

/// <summary>A sheet's three columns scored by its rubric, and the figures of each that the store keeps for the lists.</summary>
public static class SheetColumns
{
    private static readonly Column[] All = [Column.Self, Column.Bureau, Column.Department];

    /// <summary>
    /// Each column scored from the auto outcomes and the entries. A column without entries is the auto lines alone, so
    /// it is scored once and shared by every column that has none.
    /// </summary>
    public static IReadOnlyList<ColumnResult> Score(Rubric rubric, IReadOnlyDictionary<string, AutoOutcome> auto, IReadOnlyList<Entry> entries,
        StarItemReading reading = StarItemReading.FullPoints)
    {
        ColumnResult? bare = null;
        return All.Select(c => entries.Any(e => e.Column == c)
            ? SheetScorer.Score(rubric, auto, c, entries, reading)
            : (bare ??= SheetScorer.Score(rubric, auto, c, [], reading)) with { Column = c }).ToArray();
    }

    /// <summary>What the store calls to score a sheet of <paramref name="rubric"/> inside its transaction.</summary>
    public static ColumnScorer Scorer(Rubric rubric, StarItemReading reading = StarItemReading.FullPoints) =>
        (auto, entries) => Totals(Score(rubric, auto, entries, reading), entries);

    /// <summary>The figures of each column as the lists read them, with the entries made in it.</summary>
    public static IReadOnlyList<ColumnTotals> Totals(IReadOnlyList<ColumnResult> columns, IReadOnlyList<Entry> entries) =>
        columns.Select(c => new ColumnTotals(c.Column, c.Total, c.Areas.ToDictionary(a => a.Area.Code, a => a.Score), c.Stars?.Stars, c.Stars?.ByTotal,
            c.Stars?.UnmetVetoItems ?? [], c.Pending, c.NotComputable, entries.Count(e => e.Column == c.Column), c.Stars?.OtherReading)).ToArray();

    /// <summary>A stored sheet with its rubric and its columns scored now.</summary>
    public static Scoresheet Compose(StoredScoresheet stored, StarItemReading reading = StarItemReading.FullPoints)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var rubric = RubricLibrary.Get(stored.RubricId);
        return new Scoresheet(stored.Id, stored.OrgCode, stored.OrgName, stored.CountyCode, rubric, stored.Cycle, stored.Periods, stored.AppliedStars,
            stored.ScoredAt, stored.Settings, stored.Auto, stored.Entries, Score(rubric, stored.Auto, stored.Entries.Select(e => e.Entry).ToArray(), reading), stored.Frozen);
    }
}
