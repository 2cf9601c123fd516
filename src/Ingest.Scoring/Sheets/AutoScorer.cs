using System.Globalization;
using Ingest.Core.Organisations;
using Ingest.Core.Sheets;
using Ingest.Scoring.Rubrics;

namespace Ingest.Scoring.Sheets;

/// <summary>
/// Scores auto targets from facts (docs/domain.md, "Comparisons and bands"): exact decimal comparisons, bands read
/// literally, missing or partial data never the lowest band but not computable with the reason.
/// </summary>
public static partial class AutoScorer
{
    /// <summary>Pre-fills every auto target of <paramref name="rubric"/>, keyed by target.</summary>
    public static IReadOnlyDictionary<string, AutoOutcome> Prefill(Rubric rubric, ScoringContext context)
    {
        ArgumentNullException.ThrowIfNull(rubric);
        return rubric.Items.SelectMany(i => i.Targets).Where(t => t.IsAuto)
            .ToDictionary(t => t.Key, t => Score(t.Rule, t.Points, context), StringComparer.Ordinal);
    }

    /// <summary>Scores one auto rule worth <paramref name="points"/>.</summary>
    public static AutoOutcome Score(Rule rule, decimal points, ScoringContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return rule switch
        {
            ThresholdRule r => Threshold(r, context),
            BandsRule { Input: FactInput input } r => Bands(r, input, context),
            VsRegionRule r => VsRegion(r, context),
            EveryUnitSchoolRule r => EveryUnitSchool(r, points, context),
            CoversSubjectsRule r => CoversSubjects(r, points, context),
            _ => throw new ArgumentException($"A {rule.Kind} rule is not scored from facts.", nameof(rule)),
        };
    }

    /// <summary>The score of the bands for <paramref name="value"/>: the first band it reaches, else the floor.</summary>
    public static decimal Band(BandsRule rule, decimal value)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.Bands.FirstOrDefault(b => value >= b.Min)?.Score ?? rule.Otherwise;
    }

    private static AutoOutcome Threshold(ThresholdRule rule, ScoringContext context)
    {
        if (!TryMeasure(rule.Input, context.OrgCode, context, out var fact, out var value, out var reason))
        {
            return NotComputable(reason, fact);
        }

        var score = value >= rule.Min ? rule.Score : 0;
        return new AutoOutcome(score, null, [fact!], [], $"{Name(rule.Input)} {Fig(rule.Input, value)}，{(value >= rule.Min ? "达到" : "未达到")} {Fig(rule.Input, rule.Min)}");
    }

    private static AutoOutcome Bands(BandsRule rule, FactInput input, ScoringContext context)
    {
        if (!TryMeasure(input, context.OrgCode, context, out var fact, out var value, out var reason))
        {
            return NotComputable(reason, fact);
        }

        var band = rule.Bands.FirstOrDefault(b => value >= b.Min);
        var summary = band is null
            ? $"{Name(input)} {Fig(input, value)}，低于 {Fig(input, rule.Bands[^1].Min)}"
            : $"{Name(input)} {Fig(input, value)}，不低于 {Fig(input, band.Min)}";
        return new AutoOutcome(Band(rule, value), null, [fact!], [], summary);
    }

    private static AutoOutcome VsRegion(VsRegionRule rule, ScoringContext context)
    {
        var tolerance = context.Settings.RegionEqualTolerance;
        // The tolerance is a reading of 等于全区; an item that names only 高于全区平均水平 does not depend on it.
        string[] settings = rule.Equal is null ? []
            : [string.Create(CultureInfo.InvariantCulture, $"Scoring:RegionEqualTolerance = {tolerance}（与全区数值相差 ±{tolerance * 100:0.##}% 以内为等于）")];
        if (!TryMeasure(rule.Input, context.OrgCode, context, out var own, out var value, out var reason))
        {
            return NotComputable(reason, own) with { Settings = settings };
        }

        var period = context.PeriodOf(rule.Input.Period);
        var region = context.Facts.Find(Organisation.RegionCode, rule.Input.Indicator, period);
        if (region is null)
        {
            return new AutoOutcome(null, $"全区{RaterText.Period(period)}的{Name(rule.Input)}尚未汇总", [own!], settings, null);
        }

        if (RegionGap(region) is { } gap)
        {
            return new AutoOutcome(null, $"全区数值不完整：{gap}", [own!, region], settings, null);
        }

        var regionValue = Measured(region, rule.Input.Measure)!.Value;
        if (rule.Equal is null)
        {
            // 高于全区平均水平 and nothing else: strictly above the region's value, no tolerance band.
            return value > regionValue
                ? new AutoOutcome(rule.Higher, null, [own!, region], [], $"{Name(rule.Input)} {Fig(rule.Input, value)}，高于全区 {Fig(rule.Input, regionValue)}")
                : new AutoOutcome(rule.Lower, null, [own!, region], [], $"{Name(rule.Input)} {Fig(rule.Input, value)}，未高于全区 {Fig(rule.Input, regionValue)}");
        }

        var band = tolerance * Math.Abs(regionValue);
        var (score, word) = value > regionValue + band ? (rule.Higher, "高于")
            : value < regionValue - band ? (rule.Lower, "低于")
            : (rule.Equal.Value, "等于");
        var tolerance100 = (tolerance * 100).ToString("0.##", CultureInfo.InvariantCulture);
        return new AutoOutcome(score, null, [own!, region], settings,
            $"{Name(rule.Input)} {Fig(rule.Input, value)}，{word}全区 {Fig(rule.Input, regionValue)}（相差 ±{tolerance100}% 以内为等于）");
    }
}
