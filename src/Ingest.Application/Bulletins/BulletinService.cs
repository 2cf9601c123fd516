using Ingest.Application.Ingestion;
using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Application.UseCases;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Core.Remediation;
using Ingest.Core.Sheets;
using Ingest.Data.Bulletins;
using Ingest.Data.Organisations;
using Ingest.Data.Remediation;
using Ingest.Data.Scoresheets;
using Ingest.Scoring.Bulletins;
using Ingest.Scoring.Remediation;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Ingest.Application.Bulletins;

/// <summary>
/// A county's bulletin as its reader sees it: the draft, how many of the county's school sheets it rests on and how many
/// of those are 备案 (the finalised results; the current sheets until all are), and whether the caller writes it.
/// </summary>
public sealed record BulletinView(string CountyCode, string CountyName, EvaluationCycle Cycle, BulletinDraft Draft, int Sheets, int Finalised, bool Writes);

/// <summary>
/// The county bulletin (通报) of a school star year, written as seed 002 is: from the bureau's column of the county's
/// school sheets, their gap plans, the data's figures (上半年 lessons among them) and the 整改 items. The county's bureau
/// (or the department) fills the holes the data cannot; the final bulletin is refused while one waits. Read by the
/// department, the county's bureau and auditors in scope.
/// </summary>
public sealed class BulletinService(ScoresheetService sheets, ScoresheetReader reader, OrganisationStore organisations, RemediationStore remediation,
    BulletinStore store, IConfiguration configuration, IOptionsMonitor<ScoringSettings> scoring)
{
    public async Task<Outcome<BulletinView>> DraftAsync(Caller caller, string countyCode, EvaluationCycle cycle, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(cycle);
        if (cycle.Rubric != RubricKind.School)
        {
            return Refusal.NotFound("通报无法生成", "通报是学校星级评定年度的，请选择如 school:2025 的年度");
        }

        var county = await organisations.FindAsync(countyCode, ct);
        if (county is not { Level: OrgLevel.County })
        {
            return Refusal.NotFound("通报无法生成", $"机构目录中没有县（区）{countyCode}");
        }

        if (caller.Role == Roles.School)
        {
            return Refusal.Forbidden($"{caller.Describe()}不能查看县（区）的通报草稿");
        }

        var county0 = await sheets.CountyAsync(caller, countyCode, cycle, ct);
        if (county0.Refusal is { } refused)
        {
            return refused;
        }

        var schoolSheets = county0.Value.Sheets.Where(s => s.Rubric.Kind == RubricKind.School).ToArray();
        var periods = CyclePeriodsResolver.Resolve(configuration, cycle);
        var facts = await reader.ReadFactsAsync(schoolSheets.Select(s => s.OrgCode).ToArray(),
            new[] { cycle.FirstHalf, periods.SchoolYear, periods.CalendarYear }.Select(p => p.Code).Distinct().ToArray(), ct);
        var remedies = (await remediation.ListCountyAsync(cycle.ToString(), countyCode, ct)).Where(i => i.Status != RemediationStatus.Verified)
            .ToLookup(i => i.OrgCode, StringComparer.Ordinal);
        var reading = scoring.CurrentValue.StarItemsMet;
        var schools = schoolSheets.Select(s =>
        {
            var bureau = s.Column(Column.Bureau);
            return new BulletinSchool(s.OrgCode, s.OrgName, bureau.Total, bureau.Stars, GapPlanner.Plan(s, Column.Bureau, s.AppliedStars, reading),
                facts.Where(f => f.OrgCode == s.OrgCode).ToArray(), remedies[s.OrgCode].Select(r => (r.Problem, r.Deadline)).ToArray());
        }).ToArray();

        var draft = BulletinWriter.Write(county.Name, cycle, periods, RubricLibrary.Default(cycle.Rubric), schools,
            await store.InputsAsync(cycle.ToString(), countyCode, ct));
        var writes = caller.IsCommandLine || caller.Role is Roles.Department or Roles.Bureau;
        return new BulletinView(countyCode, county.Name, cycle, draft, schoolSheets.Length, schoolSheets.Count(s => s.IsFinalised), writes);
    }

    /// <summary>Writes what the author filled into the holes named (an empty value clears one); a key that is not a hole of the draft is refused.</summary>
    public async Task<Outcome<BulletinView>> WriteAsync(Caller caller, string countyCode, EvaluationCycle cycle, IReadOnlyDictionary<string, string?> values,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(values);
        var draft = await DraftAsync(caller, countyCode, cycle, ct);
        if (draft.Refusal is { } refused)
        {
            return refused;
        }

        if (!draft.Value.Writes)
        {
            return Refusal.Forbidden($"{caller.Describe()}可以查看通报；通报由县（区）教育局或教育厅撰写");
        }

        var known = draft.Value.Draft.Holes.Select(h => h.Key).ToHashSet(StringComparer.Ordinal);
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            return Refusal.Invalid("通报未保存", unknown, $"通报中没有“{unknown}”这一待填项");
        }

        if (values.FirstOrDefault(v => v.Value?.Length > 2000) is { Key: { } tooLong })
        {
            return Refusal.Invalid("通报未保存", tooLong, "每处待填内容请控制在 2000 字以内");
        }

        await store.WriteAsync(cycle.ToString(), countyCode, values, caller.Actor, ct);
        return await DraftAsync(caller, countyCode, cycle, ct);
    }

    /// <summary>The bulletin to send out: refused, naming each hole, while one waits for the author.</summary>
    public async Task<Outcome<BulletinView>> FinalAsync(Caller caller, string countyCode, EvaluationCycle cycle, CancellationToken ct)
    {
        var draft = await DraftAsync(caller, countyCode, cycle, ct);
        if (draft.Refusal is { } refused)
        {
            return refused;
        }

        var waiting = draft.Value.Draft.Waiting;
        return waiting.Count == 0 ? draft
            : Refusal.Conflict("通报尚未定稿", $"还有 {waiting.Count} 处【待填】：{string.Join("；", waiting.Select(h => h.Prompt))}。请在通报页面填写后再导出定稿");
    }
}
