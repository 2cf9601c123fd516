using Ingest.Application.People;
using Ingest.Application.UseCases;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Data.Scoresheets;
using Ingest.Scoring.Sheets;

namespace Ingest.Application.Rating;

/// <summary>What finalising or reopening did: the sheets whose state changed, and the county's sheets after it.</summary>
public sealed record StageOutcome(int Changed, IReadOnlyList<ScoresheetSummary> Sheets);

public sealed partial class ScoresheetService
{
    /// <summary>The columns a bureau's 备案 freezes: the school's own and its own; the department's stays open for its decision.</summary>
    public static readonly IReadOnlyList<Column> FinalisedByBureau = [Column.Self, Column.Bureau];

    /// <summary>
    /// 备案 (第十一条（二）): the bureau finalises its county's school sheets of the cycle. Every sheet must be complete in the
    /// bureau's column (nothing 待填, 无法计算 or 待现场确认); then each is frozen as it stands: its pre-filled lines are
    /// no longer re-scored, and the 学校自评 and 教育局评定 columns take no entry (409).
    /// </summary>
    public async Task<Outcome<StageOutcome>> FinaliseCountyAsync(Caller caller, string countyCode, EvaluationCycle cycle, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(cycle);
        const string title = "未能备案";
        if (!caller.IsCommandLine && !(caller.Role == Roles.Bureau && caller.Scope == countyCode))
        {
            return Refusal.Forbidden($"{caller.Describe()}不能为 {countyCode} 备案：由该县（区）教育局备案");
        }

        if (cycle.Rubric != RubricKind.School)
        {
            return Refusal.Invalid(title, "cycle", "备案针对学校星级评定周期（school:年度）");
        }

        var sheets = (await reader.ListAsync(cycle, countyCode, ct)).Where(s => s.OrgCode != countyCode).ToArray();
        if (sheets.Length == 0)
        {
            return Refusal.Invalid(title, "county", $"{countyCode} 在 {cycle.Year} 年度还没有学校评分表：请先预填并评分");
        }

        var waiting = sheets.Where(s => s.Columns.GetValueOrDefault("bureau") is not { Pending: 0, NotComputable: 0 }).ToArray();
        if (waiting.Length > 0)
        {
            return Refusal.Invalid(title, $"教育局评定栏尚未完成的学校 {waiting.Length} 所，完成后才能备案",
                waiting.Select(s => new FieldError(s.OrgCode,
                    $"{s.OrgName}（{s.OrgCode}）：待填 {s.Columns.GetValueOrDefault("bureau")?.Pending ?? 0} 项，无法计算 {s.Columns.GetValueOrDefault("bureau")?.NotComputable ?? 0} 项"))
                    .ToArray());
        }

        var changed = await store.SetFrozenAsync(sheets.Select(s => s.Id).ToArray(), FinalisedByBureau, null, caller.Actor, ct);
        return new StageOutcome(changed, await reader.ListAsync(cycle, countyCode, ct));
    }

    /// <summary>
    /// The department reopens a finalised county (every school sheet of it) or one school's sheet, with a reason: its
    /// columns take entries again and its pre-filled lines follow the facts again. Both states stay in the history.
    /// </summary>
    public async Task<Outcome<StageOutcome>> ReopenAsync(Caller caller, string orgCode, EvaluationCycle cycle, string? reason, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(cycle);
        const string title = "未能重新开放";
        if (!caller.IsCommandLine && caller.Role != Roles.Department)
        {
            return Refusal.Forbidden($"{caller.Describe()}不能重新开放已备案的评分表：由教育厅决定");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return Refusal.Invalid(title, "reason", "重新开放须填写理由");
        }

        var org = await reader.FindOrganisationAsync(orgCode, ct);
        if (org is null)
        {
            return Refusal.NotFound(title, $"机构目录中没有 {orgCode}");
        }

        var county = org.Level == OrgLevel.County ? org.Code : org.ParentCode ?? orgCode;
        var sheets = (await reader.ListAsync(cycle, county, ct)).Where(s => s.OrgCode != county && (org.Level == OrgLevel.County || s.OrgCode == orgCode)).ToArray();
        if (sheets.Length == 0)
        {
            return Refusal.NotFound(title, $"{org.Name}在 {cycle.Year} 年度没有评分表");
        }

        var changed = await store.SetFrozenAsync(sheets.Select(s => s.Id).ToArray(), [], reason.Trim(), caller.Actor, ct);
        return new StageOutcome(changed, await reader.ListAsync(cycle, county, ct));
    }

    /// <summary>Every finalising and reopening of a sheet, for its history.</summary>
    public Task<IReadOnlyList<SheetStage>> StagesAsync(Scoresheet sheet, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        return store.ListStagesAsync(sheet.Id, ct);
    }
}
