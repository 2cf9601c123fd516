using Ingest.Core.Sheets;
using Ingest.Scoring.Rubrics;

namespace Ingest.Scoring.Sheets;

/// <summary>Where a line's score comes from.</summary>
public enum LineStatus
{
    /// <summary>Pre-filled from facts.</summary>
    Auto,

    /// <summary>Auto item whose inputs are missing or partial; waits for a person, with the reason.</summary>
    NotComputable,

    /// <summary>Filled in (or overridden) by a person.</summary>
    Entered,

    /// <summary>Waits for a person.</summary>
    Pending,

    /// <summary>
    /// Pre-filled from facts that cover only part of the item (<see cref="Rubrics.RubricItem.OnSite"/>): the score counts,
    /// but waits for a rater to confirm the rest on site (待现场确认); an entry in the column confirms or changes it.
    /// </summary>
    Unconfirmed,
}

/// <summary>One target's line in one column.</summary>
public sealed record TargetLine(ScoreTarget Target, LineStatus Status, decimal? Score, AutoOutcome? Auto, Entry? Entry);

/// <summary>One item's line: its score (the sum of its targets; a missing score counts 0) and the worst status of its targets.</summary>
public sealed record ItemLine(RubricItem Item, LineStatus Status, decimal Score, IReadOnlyList<TargetLine> Targets)
{
    public bool FullPoints => Status is LineStatus.Auto or LineStatus.Entered or LineStatus.Unconfirmed && Score >= Item.Points;

    /// <summary>Scored above 0: a ★ item met under the reading "any points" (<see cref="StarItemReading.AnyPoints"/>).</summary>
    public bool AnyPoints => Status is LineStatus.Auto or LineStatus.Entered or LineStatus.Unconfirmed && Score > 0;

    /// <summary>Whether a ★ item counts as met under <paramref name="reading"/>.</summary>
    public bool Met(StarItemReading reading) => reading == StarItemReading.AnyPoints ? AnyPoints : FullPoints;
}

/// <summary>An area's total: the sum of its items up to the area's points, or its full points when an overriding flag is set.</summary>
public sealed record AreaTotal(RubricArea Area, decimal Sum, decimal Score, string? OverriddenBy);

/// <summary>
/// The star level from the total, with the ★ veto: for <see cref="Rubric.VetoFromStars"/> and above every ★ item needs its
/// full points, otherwise the level stops below it and the unmet items are named. Provisional while lines wait.
/// <paramref name="OtherReading"/>: the level the other reading of "met" (<see cref="StarItemReading"/>) would give.
/// </summary>
public sealed record StarResult(int? Stars, int? ByTotal, IReadOnlyList<string> UnmetVetoItems, bool Vetoed, bool Provisional, int? OtherReading = null);

/// <summary>A column scored: lines, area totals, total and star level.</summary>
/// <param name="Pending">Lines that wait for a person, 待现场确认 lines among them (<see cref="Unconfirmed"/>).</param>
public sealed record ColumnResult(Column Column, IReadOnlyList<ItemLine> Items, IReadOnlyList<AreaTotal> Areas, decimal Total, StarResult? Stars,
    int Pending, int NotComputable)
{
    /// <summary>Pre-filled lines that wait for a rater's on-site confirmation (counted in <see cref="Pending"/> too).</summary>
    public int Unconfirmed => Items.SelectMany(i => i.Targets).Count(t => t.Status == LineStatus.Unconfirmed);
}
