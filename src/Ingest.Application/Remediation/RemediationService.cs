using System.Globalization;
using System.Security.Cryptography;
using Ingest.Application.Evidence;
using Ingest.Application.Ingestion;
using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Application.UseCases;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Core.Remediation;
using Ingest.Core.Sheets;
using Ingest.Data.Audit;
using Ingest.Data.Files;
using Ingest.Data.Organisations;
using Ingest.Data.Remediation;
using Ingest.Data.Scoresheets;
using Ingest.Documents.Uploads;
using Ingest.Scoring.Remediation;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ingest.Application.Remediation;

/// <summary>
/// A school's gap plan and its 整改 items as a reader sees them: the plan on the bureau's column (null, with why, while
/// the school has no sheet), the items, whether the caller sets and verifies items (the county's bureau) or answers them
/// (the school), and today's date in Beijing (what "overdue" is measured against).
/// </summary>
public sealed record SchoolRemediation(string OrgName, string CountyCode, GapPlan? Plan, string? PlanProblem, IReadOnlyList<RemediationItem> Items, bool Sets,
    bool Answers, DateOnly Today);

/// <summary>A county's 整改 items in a cycle, by deadline; those overdue on <see cref="Today"/> apart.</summary>
public sealed record CountyRemediation(string CountyCode, string CountyName, IReadOnlyList<RemediationItem> Items, DateOnly Today)
{
    public IReadOnlyList<RemediationItem> Overdue => Items.Where(i => i.OverdueOn(Today)).ToArray();
}

/// <summary>
/// 整改: the bureau turns lines of a school's gap plan into items with a deadline; the school answers each (a note
/// and/or a file); the bureau verifies it or sends it back with why. After every run a data line's figure is scored
/// again, for the item's cycle and the one after it, and once it reaches the item's full points the item is marked
/// 数据已达标 with the run; it still waits for the bureau. Overdue items are listed per county, and the county's items go
/// out as one workbook.
/// </summary>
public sealed class RemediationService(RemediationStore store, ScoresheetService sheets, ScoresheetReader reader, OrganisationStore organisations,
    IContentStore content, AccessRules access, TimeProvider clock, IConfiguration configuration, IOptionsMonitor<ScoringSettings> scoring,
    IOptionsMonitor<EvidenceFileOptions> files, ILogger<RemediationService> logger)
{
    /// <summary>Today in Beijing: the day a deadline is measured against.</summary>
    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);

    /// <summary>The school's gap plan (on the bureau's column, towards its 申报星级 or the next level) and its items.</summary>
    public async Task<Outcome<SchoolRemediation>> SchoolAsync(Caller caller, string orgCode, EvaluationCycle cycle, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(cycle);
        if (await SchoolRefusalAsync(caller, orgCode, cycle, ct) is { } refused)
        {
            return refused;
        }

        var org = (await organisations.FindAsync(orgCode, ct))!;
        GapPlan? plan = null;
        string? problem = null;
        try
        {
            var sheet = await sheets.GetAsync(orgCode, cycle, opener: null, ct);
            plan = GapPlanner.Plan(sheet, Column.Bureau, sheet.AppliedStars, scoring.CurrentValue.StarItemsMet);
        }
        catch (ScoresheetNotFoundException)
        {
            problem = $"{org.Name}的{cycle.Year}年度评分表尚未预填：预填并评分后才有整改清单";
        }

        var sets = caller.IsCommandLine || caller.Role == Roles.Bureau;
        var answers = caller.IsCommandLine || caller.Role == Roles.School;
        return new SchoolRemediation(org.Name, org.ParentCode!, plan, problem, await store.ListAsync(cycle.ToString(), orgCode, ct), sets, answers, Today);
    }

    /// <summary>Sets a line of the school's sheet (30, 16.2) to be fixed by <paramref name="deadline"/>; the problem defaults to the gap plan's words.</summary>
    public async Task<Outcome<RemediationItem>> CreateAsync(Caller caller, string orgCode, EvaluationCycle cycle, string? target, string? problem, DateOnly? deadline,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(cycle);
        const string title = "整改项未设立";
        if (await SchoolRefusalAsync(caller, orgCode, cycle, ct) is { } refused)
        {
            return refused;
        }

        if (!caller.IsCommandLine && caller.Role != Roles.Bureau)
        {
            return Refusal.Forbidden($"{caller.Describe()}不能设立整改项：整改项由学校所在县（区）教育局设立和核实");
        }

        if (EvidenceFileService.Line(cycle, target) is not { } line)
        {
            return Refusal.Invalid(title, "target", $"评分表中没有指标“{target}”：请按认定标准的编号填写，如 30 或 16.2");
        }

        if (deadline is not { } due)
        {
            return Refusal.Invalid(title, "deadline", "请填写整改截止日期");
        }

        if (due < Today)
        {
            return Refusal.Invalid(title, "deadline", $"截止日期 {Day(due)} 已过：请选今天（{Day(Today)}）或以后的日期");
        }

        // The problem in the plan's words: a line below full points with its figure; a line still waiting by its name.
        var plan = (await SchoolAsync(caller, orgCode, cycle, ct)).Value.Plan;
        var gap = plan?.Lines.FirstOrDefault(l => l.Target == line.Target);
        var waiting = plan?.Waiting.FirstOrDefault(l => l.Target == line.Target);
        var words = !string.IsNullOrWhiteSpace(problem) ? problem.Trim()
            : gap?.Finding ?? (waiting is not null ? $"{(waiting.Veto ? "★" : "")}{waiting.Number} {waiting.Name}" : $"{line.Number} {line.Text}");
        if (words.Length > 500)
        {
            return Refusal.Invalid(title, "problem", $"问题说明有 {words.Length} 字，请控制在 500 字以内");
        }

        var target0 = RubricLibrary.Default(cycle.Rubric).FindTarget(line.Target)!;
        var org = (await organisations.FindAsync(orgCode, ct))!;
        var created = await store.CreateAsync(cycle.ToString(), orgCode, org.ParentCode!, line.Target, words, gap?.Recovers ?? waiting?.Recovers ?? 0, target0.IsAuto, due, caller.Actor, ct);
        return created is not null ? created : Refusal.Conflict(title, $"指标 {line.Number} 在 {cycle.Year} 年度已有整改项");
    }

    /// <summary>The school's answer to an item waiting for it (待整改 or 退回): a note, a file (PDF, picture, .docx, .xlsx), or both.</summary>
    public async Task<Outcome<RemediationItem>> SubmitAsync(Caller caller, string orgCode, EvaluationCycle cycle, long id, string? note, byte[]? file, string? fileName,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(cycle);
        const string title = "整改未提交";
        if (!caller.IsCommandLine && caller.Role != Roles.School)
        {
            return Refusal.Forbidden($"{caller.Describe()}不能提交整改：由学校提交，教育局核实");
        }

        var found = await ItemAsync(caller, orgCode, cycle, id, ct);
        if (found.Refusal is { } refused)
        {
            return refused;
        }

        var item = found.Value;
        if (item.Status is not (RemediationStatus.Open or RemediationStatus.Returned))
        {
            return Refusal.Conflict(title, $"该整改项{item.Status}，不能再提交");
        }

        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        RemediationFile? attached = null;
        if (file is { Length: > 0 })
        {
            var name = Ingest.Core.Text.FileNames.OfUpload(fileName, "整改材料");
            if (file.Length > files.CurrentValue.MaxFileBytes)
            {
                return Refusal.Invalid(title, "file", $"{name}：超过每个文件 {Core.Evidence.EvidenceFile.SizeText(files.CurrentValue.MaxFileBytes)} 的上限");
            }

            try
            {
                var kind = EvidenceType.Judge(file);
                var sha = Convert.ToHexStringLower(SHA256.HashData(file));
                await content.PutAsync(sha, file, ct);
                attached = new RemediationFile(name, kind, file.Length, sha);
            }
            catch (UploadRefusedException e)
            {
                return Refusal.Invalid(title, "file", $"{name}：{e.Problem}");
            }
        }

        if (note is null && attached is null)
        {
            return Refusal.Invalid(title, "note", "请说明整改情况，或附上整改材料");
        }

        return await store.SubmitAsync(item, note, attached, caller.Actor, ct) ? (await store.FindAsync(id, ct))!
            : Refusal.Conflict(title, "该整改项刚被处理过：请刷新后再看");
    }

    /// <summary>The bureau's verdict on a submitted item: 已核实, or 退回 with why.</summary>
    public async Task<Outcome<RemediationItem>> VerifyAsync(Caller caller, string orgCode, EvaluationCycle cycle, long id, bool accept, string? note, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(cycle);
        var title = accept ? "整改未核实" : "整改未退回";
        if (!caller.IsCommandLine && caller.Role != Roles.Bureau)
        {
            return Refusal.Forbidden($"{caller.Describe()}不能核实整改：由学校所在县（区）教育局核实");
        }

        var found = await ItemAsync(caller, orgCode, cycle, id, ct);
        if (found.Refusal is { } refused)
        {
            return refused;
        }

        if (found.Value.Status != RemediationStatus.Submitted)
        {
            return Refusal.Conflict(title, $"该整改项{found.Value.Status}：学校提交后才能核实或退回");
        }

        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (!accept && note is null)
        {
            return Refusal.Invalid(title, "note", "退回须说明理由");
        }

        return await store.VerifyAsync(found.Value, accept, note, caller.Actor, ct) ? (await store.FindAsync(id, ct))!
            : Refusal.Conflict(title, "该整改项刚被处理过：请刷新后再看");
    }

    /// <summary>The file a school attached to an item, for whoever reads the school's sheet.</summary>
    public async Task<Outcome<(RemediationFile File, Stream Content)>> FileAsync(Caller caller, string orgCode, EvaluationCycle cycle, long id, CancellationToken ct)
    {
        var found = await ItemAsync(caller, orgCode, cycle, id, ct);
        if (found.Refusal is { } refused)
        {
            return refused;
        }

        if (found.Value.SubmitFile is not { } file)
        {
            return Refusal.NotFound("整改材料不存在", "该整改项没有附件");
        }

        var stream = await content.OpenAsync(file.Sha256, ct);
        return stream is null ? Refusal.NotFound("整改材料无法打开", $"{file.FileName} 的内容不在文件存储中：请联系运维核对存储目录") : (file, stream);
    }

    /// <summary>A county's items in a cycle, for the department, the county's bureau and auditors in scope.</summary>
    public async Task<Outcome<CountyRemediation>> CountyAsync(Caller caller, string countyCode, EvaluationCycle cycle, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(cycle);
        var county = await organisations.FindAsync(countyCode, ct);
        if (county is not { Level: OrgLevel.County })
        {
            return Refusal.NotFound("整改清单无法查看", $"机构目录中没有县（区）{countyCode}");
        }

        var permit = await access.SheetAsync(caller, countyCode, ct);
        if (!permit.Read || caller.Role == Roles.School)
        {
            return Refusal.Forbidden(permit.Refusal ?? $"{caller.Describe()}只能查看本校的整改项");
        }

        return new CountyRemediation(countyCode, county.Name, await store.ListCountyAsync(cycle.ToString(), countyCode, ct), Today);
    }

    /// <summary>
    /// After a run: each data line still waiting is scored from the current facts, for its cycle's periods and the next
    /// cycle's; one that reaches its full points is marked 数据已达标 with the run that read the figure. Returns how many.
    /// </summary>
    public async Task<int> CheckDataLinesAsync(CancellationToken ct)
    {
        var marked = 0;
        var system = new Actor("系统", null, "system", null, Environment.MachineName);
        foreach (var item in await store.DataLinesWaitingAsync(ct))
        {
            var cycle = EvaluationCycle.Parse(item.Cycle);
            var target = RubricLibrary.Default(cycle.Rubric).FindTarget(item.Target);
            if (target is null || !target.IsAuto)
            {
                continue;
            }

            foreach (var periods in new[] { CyclePeriodsResolver.Resolve(configuration, cycle), CyclePeriodsResolver.Resolve(configuration, cycle with { Year = cycle.Year + 1 }) })
            {
                var facts = await reader.ReadFactsAsync([item.OrgCode, Organisation.RegionCode], periods.All().Select(p => p.Code).ToArray(), ct);
                var outcome = AutoScorer.Score(target.Rule, target.Points, new ScoringContext(item.OrgCode, periods, scoring.CurrentValue, new FactSet(facts)));
                if (outcome.Score >= target.Points && outcome.Evidence.FirstOrDefault(f => f.OrgCode == item.OrgCode) is { } fact)
                {
                    if (await store.DataMetAsync(item, fact.RunId, fact.Period, outcome.Summary ?? string.Empty, system, ct))
                    {
                        marked++;
                        logger.LogInformation("整改 {Id} ({Org} {Target}): the data passed in run {Run}", item.Id, item.OrgCode, item.Target, fact.RunId);
                    }

                    break;
                }
            }
        }

        return marked;
    }

    private async Task<Outcome<RemediationItem>> ItemAsync(Caller caller, string orgCode, EvaluationCycle cycle, long id, CancellationToken ct)
    {
        if (await SchoolRefusalAsync(caller, orgCode, cycle, ct) is { } refused)
        {
            return refused;
        }

        var item = await store.FindAsync(id, ct);
        return item is not null && item.OrgCode == orgCode && item.Cycle == cycle.ToString() ? item
            : Refusal.NotFound("整改项不存在", $"{orgCode} 的 {cycle.Year} 年度没有编号为 {id} 的整改项");
    }

    /// <summary>Why the caller may not see the school's plan: a cycle that is not a school star cycle, a school not in the directory, outside the caller's scope.</summary>
    private async Task<Refusal?> SchoolRefusalAsync(Caller caller, string orgCode, EvaluationCycle cycle, CancellationToken ct)
    {
        if (cycle.Rubric != RubricKind.School || RatingCycles.Refusal(cycle, clock.GetUtcNow()) is not null)
        {
            return Refusal.NotFound("整改清单无法查看", $"“{cycle}”不是学校星级评定的年度");
        }

        var org = await organisations.FindAsync(orgCode, ct);
        if (org is not { Level: OrgLevel.School })
        {
            return Refusal.NotFound("整改清单无法查看", $"机构目录中没有学校 {orgCode}");
        }

        var permit = await access.SheetAsync(caller, orgCode, ct);
        return permit.Read ? null : Refusal.Forbidden(permit.Refusal!);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
