using System.Globalization;
using System.Text.Json;
using Ingest.Core.Sheets;
using Ingest.Scoring.Rubrics;

namespace Ingest.Scoring.Sheets;

public static partial class AutoScorer
{
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
}
