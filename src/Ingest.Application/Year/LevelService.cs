using System.Globalization;
using Ingest.Application.People;
using Ingest.Application.UseCases;
using Ingest.Core.Levels;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Data.Organisations;
using Ingest.Data.Scoresheets;
using Ingest.Scoring.Programme;
using Ingest.Scoring.Sheets;

namespace Ingest.Application.Year;

/// <summary>
/// One school's year after the ratings: who decides its level (第十条), what was decided, whether its 申报四星级 was
/// forwarded, the level it held before the year (已获星级) and this year's 授牌.
/// </summary>
/// <param name="Finalised">Its sheet is frozen by the bureau's 备案.</param>
/// <param name="Direct">A 厅直属 school on the year's roster: it applies to the department directly.</param>
/// <param name="Decided">The level the deciding column gives (capped by 第十条 and the application); Stars null while it waits.</param>
/// <param name="Held">The register's entry the school holds from before the year, null: none.</param>
/// <param name="Awarded">This year's 授牌, null: not yet.</param>
public sealed record SchoolDecision(
    string SchoolCode,
    string SchoolName,
    string CountyCode,
    int? AppliedStars,
    bool Finalised,
    bool Direct,
    ForwardedApplication? Forwarded,
    ColumnSummary? Self,
    ColumnSummary? Bureau,
    ColumnSummary? Department,
    AwardedLevel Decided,
    LevelEntry? Held,
    LevelEntry? Awarded)
{
    /// <summary>Whether the department decides the level (a forwarded application, a 厅直属 school).</summary>
    public bool ByDepartment => Decided.By == "department";

    /// <summary>Whether the bureau may forward the school's 申报四星级 now: applied for 4 or 5, finalised, not forwarded yet.</summary>
    public bool MayForward => AppliedStars is >= 4 && !Direct && Forwarded is null && Finalised;

    /// <summary>Where the school stands, in the words a rater uses.</summary>
    public string State => Awarded is { } a ? $"已授牌：{LevelText.Of(a.Stars)}"
        : !ByDepartment && !Finalised ? "待备案"
        : MayForward ? "申报" + LevelText.Of(AppliedStars!.Value) + "，待报送教育厅"
        : Decided.Stars is null ? (ByDepartment ? "待教育厅认定" : "教育局评定栏待填")
        : Decided.Stars < 2 ? "未达到星级"
        : $"待授牌：{LevelText.Of(Decided.Stars.Value)}";
}

/// <summary>A deadline of the year passed with work of a county still waiting (a warning: nothing is blocked).</summary>
public sealed record StageWarning(YearStage Stage, string CountyCode, string CountyName, string Message)
{
    public string Text => $"已过“{Stage.Name}”截止日期（{Stage.DeadlineText}）：{CountyName} {Message}";
}

/// <summary>The year's stages with their deadlines, the day it is (Beijing time), and what waits past a deadline.</summary>
public sealed record YearProgress(int Year, DateOnly Today, IReadOnlyList<YearStage> Stages, IReadOnlyList<StageWarning> Warnings);

/// <summary>What a 授牌 did: the schools awarded, and those passed over with the reason.</summary>
public sealed record AwardOutcome(IReadOnlyList<LevelEntry> Awarded, IReadOnlyList<FieldError> Skipped);

/// <summary>Levels as the register writes them.</summary>
public static class LevelText
{
    /// <summary>二星级 … 五星级; 未定级 for no level (0).</summary>
    public static string Of(int stars) => stars is >= 2 and <= 5 ? RaterText.Stars(stars) : "未定级";

    /// <summary>What a school holds: its level, or 未定级 when it never held one or it was taken away.</summary>
    public static string Held(LevelEntry? entry) => entry is { Stars: > 0 } e ? Of(e.Stars) : "未定级";
}

/// <summary>
/// The rating year after the bureau's 备案 (第十至十四条): the bureau forwards its 申报四星级 to the department; the
/// deciding body awards (授牌) the level its column gives, the bureau 二、三星级 and the department 四、五星级 and the
/// 厅直属 schools' levels; the department lowers or takes away a level (第十四条) and imports the levels awarded before
/// this service. The register keeps every entry; a school holds its latest across years.
/// </summary>
public sealed class LevelService(LevelStore store, RosterStore roster, ScoresheetReader sheets, AccessRules access,
    Microsoft.Extensions.Options.IOptionsMonitor<RatingYearOptions> stages, TimeProvider clock)
{
    public const string School = "学校标识码";
    public const string SchoolName = "学校名称";
    public const string Stars = "星级";
    public const string Year = "授牌年度";
    public const string Date = "授牌日期";
    public const string Body = "认定单位";
    public const string Document = "文号";

    /// <summary>The body that decides 四星级 and above and the 厅直属 schools' levels.</summary>
    public const string Department = "自治区教育厅";

    /// <summary>The columns of a file of earlier levels, in order.</summary>
    public static readonly IReadOnlyList<string> Columns = [School, SchoolName, Stars, Year, Date, Body, Document];

    /// <summary>A file of earlier levels: 20,000 schools at most.</summary>
    public static readonly Ingest.Documents.Uploads.UploadTable File =
        new(Columns, [School, Stars, Year, Date], new Ingest.Documents.Uploads.UploadLimits { MaxColumns = 12, MaxRows = 20_001 }, "既有星级", "请分批导入");

    /// <summary>Every school rated in <paramref name="year"/> within the caller's scope (one county, or the region), with where it stands.</summary>
    public async Task<Outcome<IReadOnlyList<SchoolDecision>>> DecisionsAsync(Caller caller, int year, string? county, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var (scope, refusal) = await access.ProgrammeScopeAsync(caller, county, ct);
        if (refusal is not null)
        {
            return Refusal.Forbidden(refusal.Replace("项目报告", "星级认定", StringComparison.Ordinal));
        }

        return Outcome.Done(await ListAsync(year, scope, ct));
    }

    /// <summary>
    /// The year's stages (第十一条) and, for each county in the caller's scope, what still waits past a deadline: 学校自评
    /// not complete after 自评与申请; the county not finalised, or a finalised 申报四星级 not forwarded, after 县级认定与备案;
    /// forwarded applications and 厅直属 schools the department has not decided after 自治区认定; decided levels not
    /// awarded after 授牌. Warnings only: 002's evaluation ran past its dates.
    /// </summary>
    public async Task<Outcome<YearProgress>> ProgressAsync(Caller caller, int year, string? county, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var (scope, refusal) = await access.ProgrammeScopeAsync(caller, county, ct);
        if (refusal is not null)
        {
            return Refusal.Forbidden(refusal.Replace("项目报告", "评定进度", StringComparison.Ordinal));
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);
        var dated = YearStages.Of(stages.CurrentValue, year);
        var warnings = new List<StageWarning>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in (await ListAsync(year, scope, ct)).GroupBy(d => d.CountyCode, StringComparer.Ordinal))
        {
            var name = (await BureauNameAsync(group.Key, names, ct))[..^"教育局".Length];
            var schools = group.ToArray();
            void Warn(int stage, int count, string what)
            {
                if (count > 0 && today > dated[stage].Deadline)
                {
                    warnings.Add(new StageWarning(dated[stage], group.Key, name, string.Create(CultureInfo.InvariantCulture, $"{count} 所学校{what}")));
                }
            }

            Warn(0, schools.Count(d => d.Self is not { Pending: 0, NotComputable: 0 }), "的学校自评尚未完成");
            Warn(1, schools.Count(d => !d.ByDepartment && !d.Finalised), "的评分表尚未备案");
            Warn(1, schools.Count(d => d.MayForward), "申报四星级，尚未报送教育厅");
            Warn(2, schools.Count(d => d.ByDepartment && d.Decided.Stars is null), "由教育厅认定，尚未认定");
            Warn(3, schools.Count(d => d.Awarded is null && d.Decided.Stars >= 2 && (d.ByDepartment || d.Finalised) && !(d.Held?.Stars > d.Decided.Stars)), "已认定，尚未授牌");
        }

        return new YearProgress(year, today, dated, warnings);
    }

    /// <summary>
    /// The bureau forwards a school's 申报四星级 (or 五星级) to the department with its 备案 (第十一条（二）). Only then is it
    /// an application the department decides and the 4-star pass rate counts (第十五条（2））.
    /// </summary>
    public async Task<Outcome<SchoolDecision>> ForwardAsync(Caller caller, int year, string schoolCode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        const string title = "未能报送";
        if (!caller.IsCommandLine && caller.Role != Roles.Bureau)
        {
            return Refusal.Forbidden($"{caller.Describe()}不能报送四星级申请：由学校所在县（区）教育局报送");
        }

        var school = await sheets.FindOrganisationAsync(schoolCode, ct);
        if (school is not { Level: OrgLevel.School })
        {
            return Refusal.NotFound(title, $"机构目录中没有学校 {schoolCode}");
        }

        if (!caller.IsCommandLine && !(caller.Role == Roles.Bureau && caller.Scope == school.ParentCode))
        {
            return Refusal.Forbidden($"{caller.Describe()}不能报送 {school.Name} 的申请：由其所在县（区）教育局报送");
        }

        var decision = (await ListAsync(year, school.ParentCode, ct)).FirstOrDefault(d => d.SchoolCode == schoolCode);
        if (decision is null)
        {
            return Refusal.NotFound(title, $"{school.Name}在 {year} 年度没有评分表");
        }

        var problem = decision switch
        {
            { Direct: true } => "厅直属学校直接向教育厅申请认定，不经教育局报送",
            { AppliedStars: not >= 4 } => $"{school.Name}申报星级为{(decision.AppliedStars is { } a ? LevelText.Of(a) : "空")}：只有申报四星级及以上的学校报送教育厅认定",
            { Finalised: false } => "请先备案：认定结果备案时同时报送四星级申请（第十一条（二））",
            _ => null,
        };
        if (problem is not null)
        {
            return Refusal.Invalid(title, "school", problem);
        }

        await store.ForwardAsync(new ForwardedApplication(year, schoolCode, school.ParentCode!, decision.AppliedStars!.Value, caller.Name, default), caller.Actor, ct);
        return (await ListAsync(year, school.ParentCode, ct)).Single(d => d.SchoolCode == schoolCode);
    }

    /// <summary>
    /// 授牌: the caller's body awards every school of the scope whose level it decides and has decided (the bureau after its
    /// 备案, 二、三星级; the department its forwarded applications and the 厅直属 schools), once per school and year. A
    /// school below 二星级, or decided below the level it holds (lowering is 第十四条's), is passed over with the reason.
    /// </summary>
    /// <param name="schools">Only these schools; null: every school the caller may award in the scope.</param>
    public async Task<Outcome<AwardOutcome>> AwardAsync(Caller caller, int year, string? county, IReadOnlyCollection<string>? schools, string? decidedOn,
        string? document, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        const string title = "未能授牌";
        var byDepartment = caller.Role == Roles.Department;
        if (!caller.IsCommandLine && !byDepartment && caller.Role != Roles.Bureau)
        {
            return Refusal.Forbidden($"{caller.Describe()}不能授牌：二、三星级由县（区）教育局授牌，四星级及以上由教育厅授牌（第十条）");
        }

        var (scope, refusal) = await access.ProgrammeScopeAsync(caller, county, ct);
        if (refusal is not null)
        {
            return Refusal.Forbidden($"{caller.Describe()}不能为 {county} 授牌");
        }

        if (!TryDate(decidedOn, out var date, out var dateProblem))
        {
            return Refusal.Invalid(title, "decidedOn", dateProblem ?? "请填写授牌日期");
        }

        if (document is { Length: > 100 })
        {
            return Refusal.Invalid(title, "document", "文号最多 100 个字符");
        }

        var all = await ListAsync(year, scope, ct);
        var candidates = all.Where(d => schools is null || schools.Contains(d.SchoolCode))
            .Where(d => caller.IsCommandLine || d.ByDepartment == byDepartment).ToArray();
        var skipped = new List<FieldError>();
        var awards = new List<LevelEntry>();
        var countyNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in candidates)
        {
            var why = d switch
            {
                { Awarded: { } a } => $"已于 {a.DecidedOn:yyyy-MM-dd} 授牌{LevelText.Of(a.Stars)}",
                { ByDepartment: false, Finalised: false } => "尚未备案",
                { Decided.Stars: null } => d.ByDepartment ? "教育厅评定栏尚未完成" : "教育局评定栏尚未完成",
                { Decided.Stars: < 2 } => "未达到星级，不授牌",
                { Held.Stars: var held } when held > d.Decided.Stars => $"已获{LevelText.Of(held)}，本年度认定{LevelText.Of(d.Decided.Stars!.Value)}：降低星级由教育厅决定（第十四条），不另授牌",
                _ => null,
            };
            if (why is not null)
            {
                skipped.Add(new FieldError(d.SchoolCode, $"{d.SchoolName}（{d.SchoolCode}）：{why}"));
                continue;
            }

            var body = d.ByDepartment ? Department : await BureauNameAsync(d.CountyCode, countyNames, ct);
            awards.Add(new LevelEntry(0, d.SchoolCode, d.SchoolName, d.Direct ? Organisation.RegionCode : d.CountyCode, year, LevelAction.Award, d.Decided.Stars!.Value,
                body, date, string.IsNullOrWhiteSpace(document) ? null : document.Trim(), null, caller.Name, default));
        }

        if (schools is not null && candidates.Length < schools.Count)
        {
            foreach (var code in schools.Where(s => candidates.All(c => c.SchoolCode != s)))
            {
                var other = all.FirstOrDefault(d => d.SchoolCode == code);
                skipped.Add(new FieldError(code, other is null ? $"{code} 在 {year} 年度没有评分表，或不在本账号的范围内"
                    : $"{other.SchoolName}（{code}）由{(other.ByDepartment ? "教育厅" : "县（区）教育局")}授牌"));
            }
        }

        if (awards.Count == 0)
        {
            return Refusal.Invalid(title, skipped.Count == 0 ? "没有可授牌的学校" : $"没有可授牌的学校：{skipped.Count} 所未授牌", skipped);
        }

        var added = await store.AddAsync(awards, caller.Actor, ct);
        return new AwardOutcome(awards.Where(a => added.Contains(a.SchoolCode)).ToArray(), skipped);
    }

    /// <summary>
    /// 第十四条: the department lowers a school's level (to a level below the one held, 二星级 at least) or takes it away,
    /// with the document that decided it; the school holds the new level from then on.
    /// </summary>
    /// <param name="action">lower (降低) or revoke (取消).</param>
    public async Task<Outcome<LevelEntry>> ChangeAsync(Caller caller, string schoolCode, int year, string? action, int? stars, string? decidedOn, string? document,
        string? reason, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        const string title = "星级未调整";
        if (!caller.IsCommandLine && caller.Role != Roles.Department)
        {
            return Refusal.Forbidden($"{caller.Describe()}不能降低或取消星级：由教育厅决定（第十四条）");
        }

        var kind = action?.Trim() switch
        {
            "lower" or "降低" => LevelAction.Lower,
            "revoke" or "取消" => LevelAction.Revoke,
            _ => (LevelAction?)null,
        };
        if (kind is null)
        {
            return Refusal.Invalid(title, "action", "请选择 降低 或 取消");
        }

        if (string.IsNullOrWhiteSpace(document))
        {
            return Refusal.Invalid(title, "document", "降低或取消星级须填写文号");
        }

        if (!TryDate(decidedOn, out var date, out var dateProblem))
        {
            return Refusal.Invalid(title, "decidedOn", dateProblem ?? "请填写决定日期");
        }

        var school = await sheets.FindOrganisationAsync(schoolCode, ct);
        if (school is not { Level: OrgLevel.School })
        {
            return Refusal.NotFound(title, $"机构目录中没有学校 {schoolCode}");
        }

        var held = LevelHistory.HeldAt(await store.ListAsync(null, [schoolCode], null, ct), year);
        if (held is not { Stars: > 0 })
        {
            return Refusal.Invalid(title, "school", $"{school.Name}在 {year} 年度未获星级，无可降低或取消");
        }

        var to = kind == LevelAction.Revoke ? 0 : stars ?? 0;
        if (kind == LevelAction.Lower && (to < 2 || to >= held.Stars))
        {
            return Refusal.Invalid(title, "stars", $"{school.Name}现为{LevelText.Of(held.Stars)}：降低后的星级应为二星级至{LevelText.Of(held.Stars - 1)}{(held.Stars == 2 ? "（二星级只能取消）" : string.Empty)}");
        }

        var entry = new LevelEntry(0, schoolCode, school.Name, held.CountyCode, year, kind.Value, to, Department, date, document.Trim(),
            string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), caller.Name, default);
        await store.AddAsync([entry], caller.Actor, ct);
        return LevelHistory.HeldAt(await store.ListAsync(null, [schoolCode], null, ct), year)!;
    }

    /// <summary>The register entries of one school, oldest first: for the school itself, its bureau, and the region.</summary>
    public async Task<Outcome<IReadOnlyList<LevelEntry>>> HistoryAsync(Caller caller, string schoolCode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Role == Roles.Ops || !await access.InScopeAsync(caller, schoolCode, ct))
        {
            return Refusal.Forbidden($"{caller.Describe()}无权查看 {schoolCode} 的星级登记");
        }

        return Outcome.Done<IReadOnlyList<LevelEntry>>([.. LevelEntry.InOrder(await store.ListAsync(null, [schoolCode], null, ct))]);
    }

    /// <summary>The level a school holds at the start of <paramref name="year"/> (its 已获星级 on that year's 认定表).</summary>
    public async Task<LevelEntry?> HeldBeforeAsync(string schoolCode, int year, CancellationToken ct) =>
        LevelHistory.HeldAt(await store.ListAsync(null, [schoolCode], year - 1, ct), year - 1);

    /// <summary>
    /// Imports the levels awarded before this service (all or nothing): each row a school in the directory, 二至五星级, the
    /// year and date of its 授牌, the body and 文号. A school's import of a year replaces its earlier import of that year.
    /// </summary>
    public async Task<Outcome<int>> ImportAsync(Caller caller, byte[] bytes, string fileName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        const string title = "既有星级未导入";
        fileName = Ingest.Core.Text.FileNames.OfUpload(fileName, "既有星级.csv");
        if (!caller.IsCommandLine && caller.Role != Roles.Department)
        {
            return Refusal.Forbidden($"{caller.Describe()}不能导入既有星级：由教育厅导入");
        }

        IReadOnlyList<Ingest.Documents.Uploads.UploadRow> rows;
        try
        {
            rows = File.Read(bytes, fileName);
        }
        catch (Ingest.Documents.Uploads.UploadTableException e)
        {
            return Refusal.Invalid(title, $"{e.File}：{string.Join("；", e.Errors)}", e.Errors.Select(x => new FieldError(e.File, x)).ToArray(), e.File);
        }

        var errors = new List<string>();
        var entries = new List<LevelEntry>();
        var seen = new Dictionary<(string, int), int>();
        var awarded = (await store.ListAsync(null, rows.Select(r => r[School]).OfType<string>().Distinct(StringComparer.Ordinal).ToArray(), null, ct))
            .Where(e => e.Action == LevelAction.Award).Select(e => (e.SchoolCode, e.Year)).ToHashSet();
        foreach (var row in rows)
        {
            var at = $"第 {row.Line} 行";
            if (row[School] is not { } code)
            {
                errors.Add($"{at}：缺少{School}");
                continue;
            }

            var school = await sheets.FindOrganisationAsync(code, ct);
            int? stars = ParseStars(row[Stars]);
            var yearOk = int.TryParse(row[Year], NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is >= 2000 and <= 2100;
            var problem = school is not { Level: OrgLevel.School } ? $"机构目录中没有学校 {code}"
                : row[SchoolName] is { } name && name != school.Name ? $"{code} 在机构目录中是“{school.Name}”，不是“{name}”"
                : stars is null ? $"{Stars}“{row[Stars]}”无法识别：应为 二星级 至 五星级（或 2 至 5）"
                : !yearOk ? $"{Year}“{row[Year]}”不是有效的年份"
                : !TryDate(row[Date], out _, out var dp) ? dp
                : seen.TryGetValue((code, y), out var first) ? $"{code} 的 {y} 年度已在第 {first} 行"
                : awarded.Contains((code, y)) ? $"{school.Name}的 {y} 年度已在本系统授牌，不能再导入"
                : row[Document] is { Length: > 100 } || row[Body] is { Length: > 100 } ? $"{Body}和{Document}最多 100 个字符"
                : null;
            if (problem is not null)
            {
                errors.Add($"{at}：{problem}");
                continue;
            }

            seen[(code, y)] = row.Line;
            TryDate(row[Date], out var date, out _);
            entries.Add(new LevelEntry(0, code, school!.Name, school.ParentCode ?? Organisation.RegionCode, y, LevelAction.Import, stars!.Value,
                row[Body] ?? (stars >= 4 ? Department : "县（区）教育局"), date, row[Document], null, caller.Name, default));
        }

        if (errors.Count == 0 && entries.Count == 0)
        {
            errors.Add("文件中没有学校：第一行为列名，其后每行一所学校");
        }

        if (errors.Count > 0)
        {
            return Refusal.Invalid(title, $"{fileName}：{errors.Count} 处错误，未导入任何内容", errors.Select(e => new FieldError(fileName, e)).ToArray(), fileName);
        }

        await store.ImportAsync(entries, fileName, caller.Actor, ct);
        return entries.Count;
    }

    /// <summary>A level as typed: 2–5, or 二星级 … 五星级.</summary>
    public static int? ParseStars(string? text) => text?.Trim() switch
    {
        "2" or "二星级" or "二星" => 2,
        "3" or "三星级" or "三星" => 3,
        "4" or "四星级" or "四星" => 4,
        "5" or "五星级" or "五星" => 5,
        _ => null,
    };

    /// <summary>A date as people write it (2025-09-10, 2025/9/10, 2025年9月10日); false with the reason otherwise.</summary>
    public static bool TryDate(string? text, out DateOnly date, out string? problem)
    {
        problem = null;
        date = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "请填写日期，例如 2025-09-10";
            return false;
        }

        if (DateOnly.TryParseExact(text.Trim(), ["yyyy-MM-dd", "yyyy/M/d", "yyyy-M-d", "yyyy年M月d日"], CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
            && date.Year is >= 2000 and <= 2100)
        {
            return true;
        }

        problem = $"日期“{text.Trim()}”无法识别：应写作 2025-09-10";
        return false;
    }

    private async Task<string> BureauNameAsync(string county, Dictionary<string, string> names, CancellationToken ct)
    {
        if (!names.TryGetValue(county, out var name))
        {
            name = names[county] = ((await sheets.FindOrganisationAsync(county, ct))?.Name ?? county) + "教育局";
        }

        return name;
    }

    private async Task<IReadOnlyList<SchoolDecision>> ListAsync(int year, string? county, CancellationToken ct)
    {
        var cycle = new EvaluationCycle(RubricKind.School, year);
        var list = (await sheets.ListAsync(cycle, county, ct)).Where(s => s.CountyCode is not null && s.CountyCode != s.OrgCode)
            .GroupBy(s => s.OrgCode, StringComparer.Ordinal).Select(g => g.MaxBy(s => s.Id)!).ToArray();
        var forwarded = (await store.ListForwardedAsync(year, county, ct)).ToDictionary(f => f.SchoolCode, StringComparer.Ordinal);
        var direct = (await roster.ListAsync(year, Organisation.RegionCode, ct)).Where(r => r.Kind == RosterKind.Direct).Select(r => r.SchoolCode)
            .ToHashSet(StringComparer.Ordinal);
        var register = (await store.ListAsync(null, list.Select(s => s.OrgCode).ToArray(), year, ct)).ToLookup(e => e.SchoolCode, StringComparer.Ordinal);
        return list.Select(s =>
        {
            var bureau = s.Columns.GetValueOrDefault("bureau");
            var department = s.Columns.GetValueOrDefault("department");
            var fwd = forwarded.GetValueOrDefault(s.OrgCode);
            var rating = new SchoolRating(s.OrgCode, s.OrgName, s.CountyCode!, year, s.AppliedStars, bureau?.Stars, bureau is { Pending: 0, NotComputable: 0 },
                department?.Stars, department is { Pending: 0, NotComputable: 0 }, fwd is not null, direct.Contains(s.OrgCode));
            var entries = register[s.OrgCode];
            return new SchoolDecision(s.OrgCode, s.OrgName, s.CountyCode!, s.AppliedStars, s.Finalised, rating.Direct, fwd, s.Columns.GetValueOrDefault("self"), bureau,
                department, AwardedLevel.Of(rating),
                LevelHistory.HeldAt(entries, year - 1), entries.LastOrDefault(e => e.Year == year && e.Action == LevelAction.Award));
        }).ToArray();
    }
}
