namespace Ingest.Scoring.Rubrics;

/// <summary>How an item (or a part of one) is scored. Scores are decimals in 0.5 steps.</summary>
public abstract record Rule
{
    /// <summary>The kind as the rubric file spells it.</summary>
    public abstract string Kind { get; }
}

/// <summary>Staff enter a score between 0 and the points (现场查看).</summary>
public sealed record EnteredRule : Rule
{
    public override string Kind => "entered";
}

/// <summary>Full points when the fact's value is at least <see cref="Min"/>, else 0 (≥ 1 classroom → 1).</summary>
public sealed record ThresholdRule(FactInput Input, decimal Min, decimal Score) : Rule
{
    public override string Kind => "threshold";
}

/// <summary>
/// Bands read literally: the first band whose minimum the value reaches gives its score, otherwise
/// <see cref="Otherwise"/> ("≥80%得4分，80%＞x≥60%得3分，低于60%得2分"). The value is a fact or a count staff enter.
/// </summary>
public sealed record BandsRule(RuleInput Input, IReadOnlyList<Band> Bands, decimal Otherwise) : Rule
{
    public override string Kind => "bands";
}

/// <summary>One band: values from <see cref="Min"/> (inclusive) up to the previous band's minimum score <see cref="Score"/>.</summary>
public sealed record Band(decimal Min, decimal Score);

/// <summary>
/// Higher / equal / lower than the region (全区平均), the region's value being its ratio of sums. Where the item scores
/// 等于 as its own band (<see cref="Equal"/> set: county A2.1, A3.4), equal is within the configured relative tolerance
/// (±1%). Where it names only 高于全区平均水平 (<see cref="Equal"/> null: school 23★, 48★), it reads literally: strictly
/// above the region's value gives <see cref="Higher"/>, anything else <see cref="Lower"/>. Not computable when not every
/// county of the region is in the region's value.
/// </summary>
public sealed record VsRegionRule(FactInput Input, decimal Higher, decimal? Equal, decimal Lower) : Rule
{
    public override string Kind => "vsRegion";
}

/// <summary>Counts staff enter, each worth <see cref="CountSpec.Each"/>, together at most <see cref="Cap"/> (每项得0.5分，5分封顶).</summary>
public sealed record CountsRule(IReadOnlyList<CountSpec> Counts, decimal Cap) : Rule
{
    public override string Kind => "counts";
}

/// <summary>
/// One count a person enters: its key, label and the points each is worth. <see cref="Once"/>: a condition that counts
/// once when met, however often it happened (61's 表彰加1分, each of 62's four conditions).
/// </summary>
public sealed record CountSpec(string Key, string Label, decimal Each, bool Once = false)
{
    /// <summary>The points <paramref name="count"/> occurrences give before the item's cap.</summary>
    public decimal PointsFor(int count) => (Once ? Math.Min(count, 1) : count) * Each;
}

/// <summary>A yes/no a person enters; yes gives the points. <see cref="OverridesArea"/>: yes sets the area to its full points (item 64).</summary>
public sealed record FlagRule(string Label, bool OverridesArea) : Rule
{
    public override string Kind => "flag";
}

/// <summary>
/// Every unit school of the county meets the condition (全覆盖): read from the county fact's detail, which lists the
/// unit schools that fail (<see cref="Failing"/>) and those that did not report (<see cref="Unknown"/>). One known
/// failure gives 0 whatever the unknown ones report; no failure but some unknown is not computable.
/// <see cref="ConfirmOnSite"/>: the data covers only part of what the item names (A1.2: teaching classes, not labs and
/// function rooms), so it can decide a failure but not the full points; otherwise the line waits for a person to
/// confirm the rest on site, with the data shown.
/// </summary>
public sealed record EveryUnitSchoolRule(FactInput Input, string Failing, string? Unknown, string? ConfirmOnSite = null) : Rule
{
    public override string Kind => "everyUnitSchool";
}

/// <summary>The subjects in the fact's detail cover every subject of the configured list (辖区课程社区覆盖所有学科).</summary>
public sealed record CoversSubjectsRule(FactInput Input) : Rule
{
    public override string Kind => "coversSubjects";
}

/// <summary>A composite item: its score is the sum of its parts, each with its own points and rule (item 16, A4.4, A5.5).</summary>
public sealed record PartsRule(IReadOnlyList<RulePart> Parts) : Rule
{
    public override string Kind => "parts";
}

/// <summary>One part of a composite item.</summary>
public sealed record RulePart(string Key, string Label, decimal Points, Rule Rule);

/// <summary>What a rule reads.</summary>
public abstract record RuleInput;

/// <summary>A fact of the organisation (or the region) for the period the cycle gives to <see cref="Period"/>.</summary>
/// <param name="Indicator">Catalogue code.</param>
/// <param name="Period">Which of the cycle's periods.</param>
/// <param name="Measure">The value, or numerator ÷ denominator (a county's count of unit schools that opened → a rate).</param>
public sealed record FactInput(string Indicator, PeriodRole Period, Measure Measure) : RuleInput;

/// <summary>A count a person enters (自治区级获奖课例 …).</summary>
public sealed record CountInput(string Key, string Label) : RuleInput;

/// <summary>Which of a cycle's periods a fact is read for.</summary>
public enum PeriodRole
{
    CalendarYear,
    SchoolYear,
    Export,
}

/// <summary>Which number of a fact a rule compares.</summary>
public enum Measure
{
    Value,
    Ratio,
}
