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
using Ingest.Data.Runs;
using Ingest.Documents.Uploads;
using Ingest.Scoring.Oversight;
using Ingest.Scoring.Sheets;
using Microsoft.Extensions.Options;

namespace Ingest.Application.Oversight;

/// <summary>The entries one expert signed in the county sheet's 教育厅评定 column (those in force), the last when.</summary>
public sealed record ExpertEntries(string By, IReadOnlyList<string> Targets, DateTimeOffset Last);

/// <summary>
/// A county's evaluation visit as its reader sees it: what is recorded, the county sheet as it stood at the end of the
/// chosen run (事前采集; null until one is chosen, or while the county has no sheet), and the expert group's entries.
/// </summary>
public sealed record VisitView(string CountyName, CountyVisit Visit, Scoresheet? DataSheet, string? DataProblem, IReadOnlyList<ExpertEntries> Experts)
{
    /// <summary>The report's length as 字: every character but white space.</summary>
    public int ReportLength => VisitService.Length(Visit.Report);
}

/// <summary>
/// The county evaluation visit of the 达标县 standard (seed 004, 一、评估方法) for a county:YYYY cycle: the county bureau (or
/// the department) records its 汇报, typed or uploaded, 2000字以内; the department chooses the run whose data the experts
/// read beforehand (事前采集), draws schools of every 学段 for 实地查看 (the same drawing as the spot checks, from a recorded
/// seed), and notes the 座谈交流; the experts score in the county sheet's 教育厅评定 column, each entry signed by its expert.
/// Auditors read it all, and the county's bureau reads its own county's visit.
/// </summary>
public sealed class VisitService(VisitStore store, ScoresheetService sheets, OrganisationStore organisations, RunReader runs, AccessRules access,
    IOptionsMonitor<OversightOptions> options)
{
    /// <summary>The most 字 a report may have (seed 004: 汇报（2000字以内）).</summary>
    public const int MaxReport = 2000;

    public async Task<Outcome<VisitView>> ReadAsync(Caller caller, string county, EvaluationCycle cycle, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await CheckAsync(caller, county, cycle, "查看", write: false, ct) is { } refused)
        {
            return refused;
        }

        var org = (await organisations.FindAsync(county, ct))!;
        var visit = await store.GetAsync(cycle.ToString(), county, ct);
        Scoresheet? data = null;
        string? problem = null;
        IReadOnlyList<ExpertEntries> experts = [];
        try
        {
            var sheet = await sheets.GetAsync(county, cycle, opener: null, ct);
            experts = SheetScorer.Latest(sheet.Entries.Select(e => e.Entry), Column.Department).Values.GroupBy(e => e.By, StringComparer.Ordinal)
                .Select(g => new ExpertEntries(g.Key, g.OrderBy(e => e.At).Select(e => Ingest.Scoring.Rubrics.PrintedItems.Number(e.Target)).ToArray(), g.Max(e => e.At)))
                .OrderBy(x => x.By, StringComparer.Ordinal).ToArray();
            if (visit.DataAsOf is { } at)
            {
                data = await sheets.AsOfAsync(county, cycle, at, ct);
            }
        }
        catch (ScoresheetNotFoundException)
        {
            problem = $"{org.Name}的{cycle.Year}年度县（区）评分表尚未预填";
        }

        return new VisitView(org.Name, visit, data, problem, experts);
    }

    /// <summary>Records the county's report: the text typed, or the text of an uploaded .txt or .docx; 2000字以内.</summary>
    public async Task<Outcome<CountyVisit>> ReportAsync(Caller caller, string county, EvaluationCycle cycle, string? text, byte[]? file, string? fileName,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        const string title = "汇报未保存";
        if (await CheckAsync(caller, county, cycle, "提交汇报", write: true, ct, bureauMay: true) is { } refused)
        {
            return refused;
        }

        var source = "录入";
        if (file is not null)
        {
            try
            {
                text = ReportText.Read(file, fileName ?? string.Empty);
                source = fileName ?? "上传文件";
            }
            catch (UploadRefusedException e)
            {
                return Refusal.Invalid(title, "file", $"{fileName}：{e.Problem}");
            }
        }

        text = text?.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        if (string.IsNullOrEmpty(text))
        {
            return Refusal.Invalid(title, "report", "汇报是空的：请录入或上传汇报");
        }

        if (Length(text) > MaxReport)
        {
            return Refusal.Invalid(title, "report", $"汇报有 {Length(text)} 字，超过 {MaxReport} 字（不计空白）");
        }

        var before = await store.GetAsync(cycle.ToString(), county, ct);
        await store.SetReportAsync(before, text, source, caller.Actor, ct);
        return await store.GetAsync(cycle.ToString(), county, ct);
    }

    /// <summary>Chooses the run whose end the experts read the data at (事前采集): an ended run.</summary>
    public async Task<Outcome<CountyVisit>> DataAsync(Caller caller, string county, EvaluationCycle cycle, long run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await CheckAsync(caller, county, cycle, "选定事前采集的数据", write: true, ct) is { } refused)
        {
            return refused;
        }

        var found = (await runs.FindRunsAsync([run], ct)).SingleOrDefault();
        if (found is null)
        {
            return Refusal.Invalid("事前采集未记录", "run", $"没有编号为 {run} 的采集批次");
        }

        if (found.FinishedAt is not { } finished)
        {
            return Refusal.Invalid("事前采集未记录", "run", $"采集批次 {run} 尚未结束：只能选定已结束的批次");
        }

        var before = await store.GetAsync(cycle.ToString(), county, ct);
        await store.SetDataAsync(before, run, finished, caller.Actor, ct);
        return await store.GetAsync(cycle.ToString(), county, ct);
    }

    /// <summary>Draws schools of every 学段 for 实地查看 (<see cref="OversightOptions.VisitSampleSize"/>) from the county's active schools; once.</summary>
    public async Task<Outcome<CountyVisit>> DrawAsync(Caller caller, string county, EvaluationCycle cycle, long? seed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        const string title = "无法抽取实地查看的学校";
        if (await CheckAsync(caller, county, cycle, "抽取实地查看的学校", write: true, ct) is { } refused)
        {
            return refused;
        }

        if (seed is < 0)
        {
            return Refusal.Invalid(title, "seed", "随机种子应为非负整数");
        }

        var before = await store.GetAsync(cycle.ToString(), county, ct);
        if (before.Seed is { } drawn)
        {
            return Refusal.Conflict(title, $"已于 {before.DrawnAt!.Value.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm} 由{before.DrawnBy}抽取（随机种子 {drawn}），不能重抽");
        }

        var population = (await organisations.ListSchoolsAsync(county, ct)).Where(s => s.Active)
            .Select(s => new SpotCheckCandidate(s.Code, s.Name, string.IsNullOrWhiteSpace(s.SchoolType) ? "未注明学段" : s.SchoolType, 0))
            .OrderBy(s => s.Code, StringComparer.Ordinal).ToArray();
        if (population.Length == 0)
        {
            return Refusal.Invalid(title, "county", "机构目录中本县（区）没有在办的学校");
        }

        var size = options.CurrentValue.VisitSampleSize;
        var used = seed ?? RandomNumberGenerator.GetInt32(100_000, 1_000_000);
        if (!await store.DrawAsync(before, used, size, population, SpotCheckSample.Draw(population, used, size), caller.Actor, ct))
        {
            return Refusal.Conflict(title, "刚刚已被抽取，不能重抽");
        }

        return await store.GetAsync(cycle.ToString(), county, ct);
    }

    /// <summary>Notes an issue raised at the 座谈交流: by 学校领导, 教师 or 学生, at a school of the county or not.</summary>
    public async Task<Outcome<CountyVisit>> NoteAsync(Caller caller, string county, EvaluationCycle cycle, string? speaker, string? school, string? issue,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        const string title = "座谈记录未保存";
        if (await CheckAsync(caller, county, cycle, "记录座谈交流", write: true, ct) is { } refused)
        {
            return refused;
        }

        if (speaker is null || !VisitNote.Speakers.Contains(speaker))
        {
            return Refusal.Invalid(title, "speaker", $"发言人应为{string.Join("、", VisitNote.Speakers)}之一");
        }

        school = string.IsNullOrWhiteSpace(school) ? null : school.Trim();
        if (school is not null)
        {
            var found = await organisations.FindAsync(school, ct);
            if (found is not { Level: OrgLevel.School } || found.ParentCode != county)
            {
                return Refusal.Invalid(title, "school", $"{school} 不是本县（区）的学校");
            }
        }

        issue = issue?.Trim();
        if (string.IsNullOrEmpty(issue) || issue.Length > 500)
        {
            return Refusal.Invalid(title, "issue", "请写明提出的问题或意见（500 字以内）");
        }

        await store.AddNoteAsync(cycle.ToString(), county, speaker, school, issue, caller.Actor, ct);
        return await store.GetAsync(cycle.ToString(), county, ct);
    }

    /// <summary>A text's length as 字: every character but white space.</summary>
    public static int Length(string? text) => text?.Count(c => !char.IsWhiteSpace(c)) ?? 0;

    private async Task<Refusal?> CheckAsync(Caller caller, string county, EvaluationCycle cycle, string what, bool write, CancellationToken ct, bool bureauMay = false)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        var role = caller.IsCommandLine || caller.Role == Roles.Department
            || (caller.Role == Roles.Bureau && (bureauMay || !write))
            || (caller.Role == Roles.Auditor && !write);
        if (!role || !await access.InScopeAsync(caller, county, ct))
        {
            return Refusal.Forbidden($"{caller.Describe()}不能{what}：{(write ? "评估由教育厅专家组进行" : "不在本账号的范围内")}");
        }

        if (cycle.Rubric != RubricKind.County)
        {
            return Refusal.Invalid("评估", "cycle", $"实地评估针对达标县评估；{cycle} 不是县（区）评估周期（county:年度）");
        }

        return await organisations.FindAsync(county, ct) is { Level: OrgLevel.County } ? null : Refusal.NotFound("评估", $"机构目录中没有县（区）{county}");
    }
}
