using System.Globalization;
using System.Text.Json;
using Ingest.Core.Indicators;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Scoring.Rubrics;

namespace Ingest.Scoring.Sheets;

/// <summary>Where and when a scoresheet reads its facts.</summary>
/// <param name="OrgCode">The school or county rated.</param>
/// <param name="Periods">The cycle's periods (docs/domain.md, configurable).</param>
public sealed record ScoringContext(string OrgCode, CyclePeriods Periods, ScoringSettings Settings, IFactSource Facts)
{
    public string PeriodOf(PeriodRole role) => role switch
    {
        PeriodRole.CalendarYear => Periods.CalendarYear.Code,
        PeriodRole.SchoolYear => Periods.SchoolYear.Code,
        PeriodRole.Export => Periods.InfrastructureExport.Code,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };
}

/// <summary>
/// Scores auto targets from facts (docs/domain.md, "Comparisons and bands"): exact decimal comparisons, bands read
/// literally, missing or partial data never the lowest band but not computable with the reason.
/// </summary>
public static class AutoScorer
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

    private static AutoOutcome EveryUnitSchool(EveryUnitSchoolRule rule, decimal points, ScoringContext context)
    {
        var period = context.PeriodOf(rule.Input.Period);
        var fact = context.Facts.Find(context.OrgCode, rule.Input.Indicator, period);
        if (fact is null)
        {
            return NotComputable($"尚未采集 {context.OrgCode} {RaterText.Period(period)}的{Name(rule.Input)}", null);
        }

        var failing = DetailList(fact.Detail, rule.Failing);
        var unknown = rule.Unknown is null ? [] : DetailList(fact.Detail, rule.Unknown);
        if (failing is null || unknown is null)
        {
            return NotComputable($"{context.OrgCode} {RaterText.Period(period)}的{Name(rule.Input)}未列出单位学校，无法判断", fact);
        }

        if (failing.Count > 0)
        {
            return new AutoOutcome(0, null, [fact], [], $"{failing.Count} 所单位学校未达到：{Codes(failing)}");
        }

        if (unknown.Count > 0)
        {
            return NotComputable($"{unknown.Count} 所单位学校未上报：{Codes(unknown)}", fact);
        }

        if (rule.ConfirmOnSite is { } rest)
        {
            return new AutoOutcome(null, $"数据显示全部单位学校达到；{rest}须现场确认", [fact], [], "数据显示全部单位学校达到", OnSite: true);
        }

        return new AutoOutcome(points, null, [fact], [], "全部单位学校达到");
    }

    private static AutoOutcome CoversSubjects(CoversSubjectsRule rule, decimal points, ScoringContext context)
    {
        var required = context.Settings.SubjectList;
        string[] settings = [$"Scoring:Subjects = {string.Join("、", required)}"];
        var period = context.PeriodOf(rule.Input.Period);
        var fact = context.Facts.Find(context.OrgCode, rule.Input.Indicator, period);
        if (fact is null)
        {
            return NotComputable($"尚未采集 {context.OrgCode} {RaterText.Period(period)}的{Name(rule.Input)}", null) with { Settings = settings };
        }

        if (DetailList(fact.Detail, null) is not { } subjects)
        {
            return NotComputable($"{context.OrgCode} {RaterText.Period(period)}的{Name(rule.Input)}未列出学科，无法判断", fact) with { Settings = settings };
        }

        var missing = required.Where(s => !subjects.Contains(s)).ToArray();
        return missing.Length == 0
            ? new AutoOutcome(points, null, [fact], settings, $"全部 {required.Count} 个学科均有课程社区")
            : new AutoOutcome(0, null, [fact], settings, $"{missing.Length} 个学科没有课程社区：{string.Join("、", missing)}");
    }

    /// <summary>Why the region's value does not stand for every county, or null when it does.</summary>
    public static string? RegionGap(FactEvidence region)
    {
        ArgumentNullException.ThrowIfNull(region);
        if (region.Detail is null)
        {
            return "全区数值未说明覆盖多少县（区）";
        }

        using var doc = JsonDocument.Parse(region.Detail);
        var root = doc.RootElement;
        if (!root.TryGetProperty("counties", out var c) || !root.TryGetProperty("countiesInDirectory", out var d))
        {
            return "全区数值未说明覆盖多少县（区）";
        }

        var counties = c.GetInt32();
        var inDirectory = d.GetInt32();
        var unknown = root.TryGetProperty("countiesUnknown", out var u) ? u.GetInt32() : 0;
        if (counties < inDirectory)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{RaterText.Period(region.Period)}只采集了 {inDirectory} 个县（区）中的 {counties} 个");
        }

        if (unknown > 0 || region.Value is null)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{RaterText.Period(region.Period)}有 {unknown} 个县（区）没有数值");
        }

        return null;
    }

    private static bool TryMeasure(FactInput input, string org, ScoringContext context, out FactEvidence? fact, out decimal value, out string reason)
    {
        var period = context.PeriodOf(input.Period);
        fact = context.Facts.Find(org, input.Indicator, period);
        value = 0;
        if (fact is null)
        {
            reason = $"尚未采集 {org} {RaterText.Period(period)}的{Name(input)}";
            return false;
        }

        if (Measured(fact, input.Measure) is not { } v)
        {
            reason = fact.Denominator == 0
                ? $"{org} {RaterText.Period(period)}的{Name(input)}无法计算：分母为 0"
                : $"{org} {RaterText.Period(period)}的{Name(input)}未知";
            return false;
        }

        value = v;
        reason = string.Empty;
        return true;
    }

    private static decimal? Measured(FactEvidence fact, Measure measure) => measure switch
    {
        Measure.Ratio => fact is { Numerator: { } n, Denominator: { } d and not 0 } ? n / d : null,
        _ => fact.Value,
    };

    private static List<string>? DetailList(string? detail, string? property)
    {
        if (string.IsNullOrWhiteSpace(detail))
        {
            return null;
        }

        using var doc = JsonDocument.Parse(detail);
        var element = doc.RootElement;
        if (property is not null && !(element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out element)))
        {
            return null;
        }

        return element.ValueKind == JsonValueKind.Array
            ? element.EnumerateArray().Select(e => e.ToString()).ToList()
            : null;
    }

    private static AutoOutcome NotComputable(string reason, FactEvidence? fact) =>
        new(null, reason, fact is null ? [] : [fact], [], null);

    private static string Codes(List<string> codes) => string.Join("、", codes.Take(20)) + (codes.Count > 20 ? " 等" : string.Empty);

    private static string Name(FactInput input) => RaterText.IndicatorName(input.Indicator);

    /// <summary>
    /// A figure as people read it. A county's count of unit schools read as numerator ÷ denominator is a share of
    /// them, so a yes/no indicator measured as a ratio shows as a percentage.
    /// </summary>
    private static string Fig(FactInput input, decimal value) =>
        input.Measure == Measure.Ratio && IndicatorCatalogue.Find(input.Indicator)?.Unit == "是否"
            ? Math.Round(value * 100, 2, MidpointRounding.AwayFromZero).ToString("0.##", CultureInfo.InvariantCulture) + "%"
            : RaterText.Figure(input.Indicator, value);
}
