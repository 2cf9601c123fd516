using System.Security.Cryptography;
using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Application.UseCases;
using Ingest.Core.Organisations;
using Ingest.Core.Oversight;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Data.Organisations;
using Ingest.Data.Oversight;
using Ingest.Data.Scoresheets;
using Ingest.Scoring.Oversight;
using Ingest.Scoring.Sheets;
using Microsoft.Extensions.Options;

namespace Ingest.Application.Oversight;

/// <summary>
/// 抽查 (第十五条（3）): the department draws a sample of a county's 二星级/三星级 schools (reproducible from the recorded seed,
/// stratified by 学段), re-rates each in its 教育厅评定 column, concludes each check by the rule in force with its note, and
/// closes the draw with the county's outcome, which the county's bureau may then read. Auditors read every step.
/// </summary>
public sealed class SpotCheckService(SpotCheckStore store, ScoresheetReader sheetsStore, ScoresheetService sheets, OrganisationStore organisations,
    LevelStore levels, AccessRules access, IOptionsMonitor<OversightOptions> options)
{
    private const string DrawTitle = "无法抽取抽查学校";
    private const string ConcludeTitle = "抽查结论未记录";

    /// <summary>The county's draw and its checks (none yet: the reason in words): the department and auditors in scope; the county's bureau once the draw is closed.</summary>
    public async Task<Outcome<SpotCheckReading>> ReadAsync(Caller caller, string county, EvaluationCycle cycle, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(cycle);
        var reader = caller.IsCommandLine || caller.Role is Roles.Department or Roles.Auditor || (caller.Role is Roles.Bureau && caller.Scope == county);
        if (!reader || !await access.InScopeAsync(caller, county, ct))
        {
            return Refusal.Forbidden($"{caller.Describe()}无权查看 {county} 的抽查");
        }

        if (await organisations.FindAsync(county, ct) is not { Level: OrgLevel.County } org)
        {
            return Refusal.NotFound("没有抽查", $"机构目录中没有县（区）{county}");
        }

        var draw = await store.FindAsync(cycle.ToString(), county, ct);
        return draw is null ? new SpotCheckReading(org.Name, null, $"{cycle.Year}年度尚未抽查")
            : caller.Role == Roles.Bureau && !draw.Closed ? new SpotCheckReading(org.Name, null, $"教育厅尚未公布{cycle.Year}年度的抽查结果")
            : new SpotCheckReading(org.Name, draw, null);
    }

    /// <summary>Draws the county's sample with <paramref name="seed"/> (a new one when null) and records it; once per county and cycle.</summary>
    public async Task<Outcome<SpotCheckDraw>> DrawAsync(Caller caller, string county, EvaluationCycle cycle, long? seed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(cycle);
        if (!(caller.IsCommandLine || caller.Role == Roles.Department))
        {
            return Refusal.Forbidden($"{caller.Describe()}不能抽取抽查学校：抽查由教育厅进行");
        }

        if (cycle.Rubric != RubricKind.School)
        {
            return Refusal.Invalid(DrawTitle, "cycle", $"抽查针对学校星级；{cycle} 不是学校评定周期（school:年度）");
        }

        if (await organisations.FindAsync(county, ct) is not { Level: OrgLevel.County } org)
        {
            return Refusal.NotFound(DrawTitle, $"机构目录中没有县（区）{county}");
        }

        if (seed is < 0)
        {
            return Refusal.Invalid(DrawTitle, "seed", "随机种子应为非负整数");
        }

        if (await store.FindAsync(cycle.ToString(), county, ct) is { } drawn)
        {
            return Refusal.Conflict(DrawTitle, $"{org.Name} {cycle.Year} 年度已于 {drawn.DrawnAt.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm} 由{drawn.DrawnBy}抽取（随机种子 {drawn.Seed}），不能重抽");
        }

        var population = await PopulationAsync(county, cycle, ct);
        if (population.Count == 0)
        {
            return Refusal.Invalid(DrawTitle, "county", $"{org.Name}没有可抽查的学校：教育局评定栏已填完且评为二星级或三星级的学校才能抽查");
        }

        var size = options.CurrentValue.SpotCheckSize;
        var used = seed ?? RandomNumberGenerator.GetInt32(100_000, 1_000_000);
        var sample = SpotCheckSample.Draw(population, used, size);
        if (!await store.DrawAsync(cycle.ToString(), county, used, size, population, sample, caller.Actor, ct))
        {
            return Refusal.Conflict(DrawTitle, $"{org.Name} {cycle.Year} 年度刚刚已被抽取，不能重抽");
        }

        return (await store.FindAsync(cycle.ToString(), county, ct))!;
    }

    /// <summary>
    /// Concludes the check of a sampled school from its 教育厅评定 column (complete), by the rule in force: 合格 or 不合格,
    /// a 不合格 with the department's note.
    /// </summary>
    public async Task<Outcome<SpotCheck>> ConcludeAsync(Caller caller, string county, EvaluationCycle cycle, string school, string? note, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(cycle);
        if (!(caller.IsCommandLine || caller.Role == Roles.Department))
        {
            return Refusal.Forbidden($"{caller.Describe()}不能记录抽查结论：抽查由教育厅进行");
        }

        var draw = await store.FindAsync(cycle.ToString(), county, ct);
        if (draw is null)
        {
            return Refusal.NotFound(ConcludeTitle, $"{county} {cycle.Year} 年度尚未抽查");
        }

        if (draw.Closed)
        {
            return Refusal.Conflict(ConcludeTitle, $"{county} {cycle.Year} 年度的抽查已结束（{draw.Outcome}），结论不能再改");
        }

        if (draw.Checks.SingleOrDefault(c => c.SchoolCode == school) is not { } check)
        {
            return Refusal.Invalid(ConcludeTitle, "school", $"{school} 不是本次抽中的学校");
        }

        var sheet = await sheets.GetAsync(school, cycle, opener: null, ct);
        var department = sheet.Column(Column.Department);
        if (department.Pending + department.NotComputable > 0)
        {
            return Refusal.Invalid(ConcludeTitle, "school", $"{check.SchoolName}的教育厅评定栏还有 {department.Pending + department.NotComputable} 项待填：填完后才能判定");
        }

        var stars = department.Stars?.Stars ?? 0;
        var rule = options.CurrentValue.SpotCheckRule;
        var passed = SpotCheckSample.Passes(check.BureauStars, stars, rule);
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (!passed && note is null)
        {
            return Refusal.Invalid(ConcludeTitle, "note",
                $"{check.SchoolName}：教育厅评定为{RaterText.Stars(stars)}，低于教育局评定的{RaterText.Stars(check.BureauStars)}，判定不合格须写明意见");
        }

        if (note is { Length: > 500 })
        {
            return Refusal.Invalid(ConcludeTitle, "note", "意见不能超过 500 字");
        }

        var outcome = passed ? SpotCheckDraw.Passed : SpotCheckDraw.Failed;
        await store.ConcludeAsync(draw, school, stars, outcome, note, caller.Actor, ct);
        return check with { DepartmentStars = stars, Outcome = outcome, Note = note, DecidedBy = caller.Actor.Name };
    }

    /// <summary>Closes the draw once every check is concluded: the county is 不合格 when any check is; the bureau may then read it.</summary>
    public async Task<Outcome<SpotCheckDraw>> CloseAsync(Caller caller, string county, EvaluationCycle cycle, string? note, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(cycle);
        if (!(caller.IsCommandLine || caller.Role == Roles.Department))
        {
            return Refusal.Forbidden($"{caller.Describe()}不能结束抽查：抽查由教育厅进行");
        }

        var draw = await store.FindAsync(cycle.ToString(), county, ct);
        if (draw is null)
        {
            return Refusal.NotFound("抽查未结束", $"{county} {cycle.Year} 年度尚未抽查");
        }

        if (draw.Closed)
        {
            return draw;
        }

        var open = draw.Checks.Where(c => c.Outcome is null).Select(c => c.SchoolName).ToArray();
        if (open.Length > 0)
        {
            return Refusal.Invalid("抽查未结束", "checks", $"还有 {open.Length} 所学校未判定：{string.Join("、", open)}");
        }

        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        var outcome = draw.Checks.Any(c => c.Outcome == SpotCheckDraw.Failed) ? SpotCheckDraw.Failed : SpotCheckDraw.Passed;
        await store.CloseAsync(draw, outcome, note, caller.Actor, ct);
        return (await store.FindAsync(cycle.ToString(), county, ct))!;
    }

    /// <summary>
    /// The county's schools its bureau decided at 二星级 or 三星级: a complete 教育局评定 column, the level at most 三星级 and at
    /// most the level applied for, and not a 申报四星级 the bureau forwarded (the department decides those).
    /// </summary>
    private async Task<IReadOnlyList<SpotCheckCandidate>> PopulationAsync(string county, EvaluationCycle cycle, CancellationToken ct)
    {
        var forwarded = (await levels.ListForwardedAsync(cycle.Year, county, ct)).Select(f => f.SchoolCode).ToHashSet(StringComparer.Ordinal);
        var schools = (await organisations.ListSchoolsAsync(county, ct)).ToDictionary(s => s.Code, StringComparer.Ordinal);
        var list = new List<SpotCheckCandidate>();
        foreach (var sheet in (await sheetsStore.ListAsync(cycle, county, ct)).GroupBy(s => s.OrgCode).Select(g => g.MaxBy(s => s.Id)!))
        {
            if (!schools.TryGetValue(sheet.OrgCode, out var school) || forwarded.Contains(sheet.OrgCode)
                || sheet.Columns.GetValueOrDefault("bureau") is not { Pending: 0, NotComputable: 0 } bureau)
            {
                continue;
            }

            var stars = Math.Min(bureau.Stars ?? 0, Math.Min(3, sheet.AppliedStars ?? 3));
            if (stars is 2 or 3)
            {
                list.Add(new SpotCheckCandidate(school.Code, school.Name, string.IsNullOrWhiteSpace(school.SchoolType) ? "未注明学段" : school.SchoolType, stars));
            }
        }

        return list.OrderBy(c => c.Code, StringComparer.Ordinal).ToArray();
    }
}

/// <summary>A county's draw as its reader may see it, or why there is none to see (not drawn, or not yet published to the bureau).</summary>
public sealed record SpotCheckReading(string CountyName, SpotCheckDraw? Draw, string? Message);
