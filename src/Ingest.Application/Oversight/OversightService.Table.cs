using Ingest.Application.People;
using Ingest.Application.UseCases;
using Ingest.Core.Organisations;
using Ingest.Core.Oversight;
using Ingest.Core.Periods;
using Ingest.Data.Oversight;
using Ingest.Scoring.Sheets;

namespace Ingest.Application.Oversight;

/// <summary>
/// One county in the department's table of 第十五条 and 第十三条 for a rating year: its 4★ pass rate over forwarded
/// applications, its spot checks, its share of ≥ 4★ schools, how far its bureau went beyond the data, the conditions of
/// 第十五条 it meets in words, and the department's decision when recorded.
/// </summary>
/// <param name="FourStarRate">Passed ÷ forwarded applications once all are decided; null otherwise or with none.</param>
/// <param name="SpotCheckOutcome">The county's outcome once the department closed its draw; null before.</param>
/// <param name="FourStarShare">Schools holding 四星级 or above at the end of the year ÷ the county's schools (第十三条).</param>
public sealed record CountyTableLine(string CountyCode, string CountyName, int FourStarApplications, int FourStarPassed, decimal? FourStarRate, string FourStarVerdict,
    bool SpotChecked, int SpotChecks, int SpotCheckFailures, string? SpotCheckOutcome, int Schools, int FourStarPlus, decimal? FourStarShare,
    decimal Beyond, int LevelAboveData, int FarAbove, IReadOnlyList<string> Conditions, CountyDecision? Decision);

/// <summary>The table of a year with the rules it was read by.</summary>
public sealed record CountyTable(string Cycle, decimal PassRateThreshold, IReadOnlyList<CountyTableLine> Counties);

public sealed partial class OversightService
{
    /// <summary>
    /// The department's table of 第十五条 and 第十三条 for school cycle <paramref name="cycle"/>: every county (a county's
    /// auditor: its own), those meeting a condition first.
    /// </summary>
    public async Task<Outcome<CountyTable>> TableAsync(Caller caller, EvaluationCycle cycle, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var lines = await RegionAsync(caller, cycle, ct);
        if (lines.Refusal is { } refused)
        {
            return refused;
        }

        var county = caller.Scope == Organisation.RegionCode || caller.IsCommandLine ? null : caller.Scope;
        var report = await programme.BuildAsync(caller, cycle, county, ct);
        if (report.Refusal is { } no)
        {
            return no;
        }

        var pass = report.Value.FourStarPassRate.ToDictionary(p => p.CountyCode, StringComparer.Ordinal);
        var share = report.Value.FourStarShare.ToDictionary(p => p.CountyCode, StringComparer.Ordinal);
        var draws = (await spotChecks.ListAsync(cycle.ToString(), county, ct)).ToDictionary(d => d.CountyCode, StringComparer.Ordinal);
        var decided = (await decisions.ListAsync(cycle.ToString(), ct)).ToDictionary(d => d.CountyCode, StringComparer.Ordinal);
        var threshold = report.Value.Settings.FourStarPassRate;
        var table = lines.Value.Select(l =>
        {
            var p = pass.GetValueOrDefault(l.CountyCode);
            var s = share.GetValueOrDefault(l.CountyCode);
            var draw = draws.GetValueOrDefault(l.CountyCode);
            var failures = draw?.Checks.Count(c => c.Outcome == SpotCheckDraw.Failed) ?? 0;
            var conditions = new List<string>();
            if (l.FarAbove > 0)
            {
                conditions.Add($"（一）教育局评定高出网上数据两级及以上的学校 {l.FarAbove} 所：是否“未能客观公正开展认定”由教育厅认定");
            }

            if (p is { Status: "breached" })
            {
                conditions.Add($"（二）当年申报的四星级学校认定通过率{(p.Rate is { } r ? " " + Percent(r) : string.Empty)}，低于 {Percent(threshold)}");
            }

            if (failures > 0)
            {
                conditions.Add($"（三）抽查不合格 {failures} 所");
            }

            return new CountyTableLine(l.CountyCode, l.CountyName, p?.Applications ?? 0, p?.Passed ?? 0, p?.Rate, p?.Verdict ?? "无报送",
                draw is not null, draw?.Checks.Count ?? 0, failures, draw?.Outcome, s?.Schools ?? 0, s?.FourStarPlus.Count ?? 0, s?.Share,
                l.Beyond, l.LevelAboveData, l.FarAbove, conditions, decided.GetValueOrDefault(l.CountyCode));
        }).OrderByDescending(l => l.Conditions.Count).ThenByDescending(l => l.Beyond).ThenBy(l => l.CountyCode, StringComparer.Ordinal).ToArray();
        return new CountyTable(cycle.ToString(), threshold, table);
    }

    /// <summary>
    /// Records the department's decision on a county for the year: 通报批评 or not, next year's 培育 quota (a whole number,
    /// or none), and its note (required with 通报批评).
    /// </summary>
    public async Task<Outcome<CountyDecision>> DecideAsync(Caller caller, string county, EvaluationCycle cycle, bool criticised, string? quota, string? note,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(cycle);
        const string title = "决定未记录";
        if (!(caller.IsCommandLine || caller.Role == Roles.Department))
        {
            return Refusal.Forbidden($"{caller.Describe()}不能记录对县（区）的决定：由教育厅决定");
        }

        if (cycle.Rubric != RubricKind.School)
        {
            return Refusal.Invalid(title, "cycle", $"第十五条针对学校星级认定；{cycle} 不是学校评定周期（school:年度）");
        }

        if (await organisations.FindAsync(county, ct) is not { Level: OrgLevel.County } org)
        {
            return Refusal.NotFound(title, $"机构目录中没有县（区）{county}");
        }

        int? parsed = null;
        if (!string.IsNullOrWhiteSpace(quota))
        {
            if (!int.TryParse(quota.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n > 10_000)
            {
                return Refusal.Invalid(title, "quota", $"下一年度培育名额“{quota.Trim()}”应为非负整数，或留空表示不调整");
            }

            parsed = n;
        }

        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (criticised && note is null)
        {
            return Refusal.Invalid(title, "note", $"对{org.Name}通报批评须写明理由");
        }

        if (note is { Length: > 1000 })
        {
            return Refusal.Invalid(title, "note", "说明不能超过 1000 字");
        }

        return await decisions.SetAsync(cycle.ToString(), county, criticised, parsed, note, caller.Actor, ct);
    }

    /// <summary>The department's decision on the county for the year, or null: for whoever may read the county's oversight.</summary>
    public async Task<Outcome<CountyDecision?>> DecisionAsync(Caller caller, string county, EvaluationCycle cycle, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(cycle);
        if (Refused(caller) is not null || !await access.InScopeAsync(caller, county, ct))
        {
            return Refusal.Forbidden($"{caller.Describe()}无权查看 {county} 的评定监督报告");
        }

        return Outcome.Done((await decisions.ListAsync(cycle.ToString(), ct)).SingleOrDefault(d => d.CountyCode == county));
    }

    private static string Percent(decimal share) => RaterText.Number(Math.Round(share * 100, 1)) + "%";
}
