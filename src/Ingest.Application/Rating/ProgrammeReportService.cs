using Ingest.Application.People;
using Ingest.Application.UseCases;
using Ingest.Core.Periods;
using Ingest.Data.Organisations;
using Ingest.Data.Scoresheets;
using Ingest.Scoring.Programme;
using Ingest.Scoring.Sheets;
using Microsoft.Extensions.Options;

namespace Ingest.Application.Rating;

/// <summary>The programme report of a school star year as the API and CLI show it: rule statuses as words, counties named.</summary>
/// <param name="Basis">Which column decides each school's level, in words.</param>
public sealed record ProgrammeReportView(
    string Cycle,
    string Basis,
    ProgrammeSettings Settings,
    IReadOnlyList<ThreeStarShareView> ThreeStarShare,
    IReadOnlyList<FourStarPassView> FourStarPassRate,
    IReadOnlyList<DemotionView> Demotions,
    IReadOnlyList<FourStarShareView> FourStarShare,
    string Reading,
    IReadOnlyList<ReadingDifferenceView> ReadingDifferences,
    string Scope);

/// <summary>A school whose level would differ under the other reading of "a ★ item is met" (<c>Scoring:StarItemsMet</c>).</summary>
public sealed record ReadingDifferenceView(string SchoolCode, string SchoolName, string CountyCode, string CountyName, string DecidedBy, string Level, string OtherLevel);

/// <summary>第十三条 for one county: its schools holding 四星级 or above at the end of the year, of all its schools.</summary>
public sealed record FourStarShareView(string CountyCode, string CountyName, int Schools, IReadOnlyList<string> FourStarPlus, decimal Share);

/// <summary>
/// 第十一条（二） for one county: every cultivation school counted once, as 三星级, 非三星级 or 待定;
/// <paramref name="Status"/> is met, breached or undecided, <paramref name="Verdict"/> the same in words.
/// </summary>
public sealed record ThreeStarShareView(string CountyCode, string CountyName, int CultivationSchools, int Allowed, IReadOnlyList<string> ThreeStarSchools,
    int NotThreeStar, int Undecided, string Status, string Verdict, IReadOnlyList<SchoolOutcomeView> Schools);

/// <summary>A school in the 3-star count: its level (三星级 …, 未定级, or 待定) and the column that decides it (教育局评定 or 教育厅评定).</summary>
public sealed record SchoolOutcomeView(string SchoolCode, string SchoolName, string AppliedStars, string Level, string DecidedBy);

/// <summary>第十五条（2） for one county; <paramref name="Status"/> is met, breached or undecided, <paramref name="Verdict"/> the same in words.</summary>
public sealed record FourStarPassView(string CountyCode, string CountyName, int Applications, int Passed, IReadOnlyList<string> Failed, int Undecided, decimal? Rate,
    string Status, string Verdict);

/// <summary>第十四条: a school flagged for demotion, with the level it held each year since it last moved.</summary>
public sealed record DemotionView(string SchoolCode, string SchoolName, string CountyCode, string CountyName, IReadOnlyList<YearLevel> Levels)
{
    /// <summary>The level it holds, in words.</summary>
    public string Level => Ingest.Application.Year.LevelText.Of(Levels[^1].Stars);

    /// <summary>Since when it has held it without moving up, in words.</summary>
    public string Since => $"{Levels[0].Year}年起未晋级";
}

/// <summary>
/// Builds the programme report of a year from the stored column results of its school sheets (nothing is re-scored, so
/// the report shows what staff see), the year's roster, the applications the bureaus forwarded and the register of levels.
/// </summary>
public sealed class ProgrammeReportService(ScoresheetReader store, RosterStore roster, LevelStore levels, OrganisationStore organisations,
    IOptionsMonitor<ProgrammeSettings> settings, IOptionsMonitor<ScoringSettings> scoring, AccessRules access)
{
    /// <summary>The configuration section of <see cref="ProgrammeSettings"/>.</summary>
    public const string Section = "Scoring:Programme";

    /// <summary>
    /// The report for school cycle <paramref name="cycle"/> as <paramref name="caller"/> may read it: the region (or one
    /// county) for the department and region-wide auditors, its own county for a bureau or a county's auditor.
    /// </summary>
    public async Task<Outcome<ProgrammeReportView>> BuildAsync(Caller caller, EvaluationCycle cycle, string? county, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(cycle);
        var (scope, refusal) = await access.ProgrammeScopeAsync(caller, county, ct);
        if (refusal is not null)
        {
            return Refusal.Forbidden(refusal);
        }

        if (cycle.Rubric != RubricKind.School)
        {
            return Refusal.Invalid("项目报告无法生成", "cycle", $"项目规则针对学校星级；{cycle} 不是学校评定周期（school:年度）");
        }

        return await BuildAsync(cycle, scope, ct);
    }

    /// <summary>The report for school cycle <paramref name="cycle"/>, for every county or one.</summary>
    /// <exception cref="FormatException">The cycle is not a school star cycle.</exception>
    private async Task<ProgrammeReportView> BuildAsync(EvaluationCycle cycle, string? countyCode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        if (cycle.Rubric != RubricKind.School)
        {
            throw new FormatException($"管理办法执行情况针对学校星级认定；{cycle} 不是学校评定周期（应为 school:年份）");
        }

        var current = settings.CurrentValue;
        var ratings = new List<SchoolRating>();
        var year = cycle.Year;
        var forwarded = (await levels.ListForwardedAsync(year, countyCode, ct)).Select(f => f.SchoolCode).ToHashSet(StringComparer.Ordinal);
        var direct = (await roster.ListAsync(year, Ingest.Core.Organisations.Organisation.RegionCode, ct)).Where(r => r.Kind == RosterKind.Direct)
            .Select(r => r.SchoolCode).ToHashSet(StringComparer.Ordinal);
        var sheets = await store.ListAsync(cycle, countyCode, ct);
        var differences = new List<(SchoolRating Rating, int? Level, int? Other)>();
        // One sheet per school and cycle: where a rubric was replaced, the newest sheet counts.
        foreach (var sheet in sheets.Where(s => s.CountyCode is not null && s.CountyCode != s.OrgCode).GroupBy(s => s.OrgCode).Select(g => g.MaxBy(s => s.Id)!))
        {
            if (sheet.Columns.TryGetValue("bureau", out var bureau) && sheet.Columns.TryGetValue("department", out var department))
            {
                var rating = new SchoolRating(sheet.OrgCode, sheet.OrgName, sheet.CountyCode!, year, sheet.AppliedStars,
                    bureau.Stars, bureau.Pending + bureau.NotComputable == 0, department.Stars, department.Pending + department.NotComputable == 0,
                    forwarded.Contains(sheet.OrgCode), direct.Contains(sheet.OrgCode));
                ratings.Add(rating);

                // The level the other reading of a ★ item gives, through the same rules of who decides and up to what.
                var other = AwardedLevel.Of(rating with { BureauStars = bureau.StarsOtherReading ?? bureau.Stars, DepartmentStars = department.StarsOtherReading ?? department.Stars });
                if (AwardedLevel.Of(rating).Stars is { } now && other.Stars is { } then && now != then)
                {
                    differences.Add((rating, now, then));
                }
            }
        }

        var register = await levels.ListAsync(countyCode, null, year, ct);
        var schools = (await organisations.CountActiveSchoolsByCountyAsync(ct)).Where(c => countyCode is null || c.Key == countyCode)
            .ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);

        // 当地培育学校总数 (第十一条（二）): the department's 培育对象 on the year's roster; county-level and 厅直属 schools apart.
        var cultivation = (await roster.ListAsync(cycle.Year, countyCode, ct)).Where(r => r.Kind == RosterKind.Region)
            .GroupBy(r => r.CountyCode, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        if (countyCode is not null)
        {
            cultivation.TryAdd(countyCode, 0);
        }

        var report = ProgrammeReport.Build(cycle.Year, ratings, current, cultivation, register, schools);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var code in report.ThreeStarShare.Select(l => l.CountyCode).Concat(report.FourStarShare.Select(l => l.CountyCode))
            .Concat(report.Demotions.Select(d => d.CountyCode)).Distinct(StringComparer.Ordinal))
        {
            names[code] = (await store.FindOrganisationAsync(code, ct))?.Name ?? code;
        }

        string Name(string code) => names.GetValueOrDefault(code, code);
        return new ProgrammeReportView(cycle.ToString(), Basis, current,
            report.ThreeStarShare.Select(l => new ThreeStarShareView(l.CountyCode, Name(l.CountyCode), l.CultivationSchools, l.Allowed, l.ThreeStarSchools,
                l.NotThreeStarSchools.Count, l.Undecided, Status(l.Status), l.RosterMissing ? "培育名单未录入" : Verdict(l.Status, "超过比例"),
                l.Schools.Select(o => new SchoolOutcomeView(o.SchoolCode, o.SchoolName, o.AppliedStars is { } a ? RaterText.Stars(a) : "未申报",
                    o.Stars is { } n ? RaterText.Stars(n) : "待定", o.DecidedBy == "department" ? "教育厅评定" : "教育局评定")).ToArray())).ToArray(),
            report.FourStarPassRate.Select(l => new FourStarPassView(l.CountyCode, Name(l.CountyCode), l.Applications, l.Passed, l.Failed, l.Undecided, l.Rate,
                Status(l.Status), Verdict(l.Status, "低于通过率"))).ToArray(),
            report.Demotions.Select(d => new DemotionView(d.SchoolCode, d.SchoolName, d.CountyCode, Name(d.CountyCode), d.Levels)).ToArray(),
            report.FourStarShare.Select(l => new FourStarShareView(l.CountyCode, Name(l.CountyCode), l.Schools, l.FourStarPlus, l.Share)).ToArray(),
            ReadingText(scoring.CurrentValue.StarItemsMet),
            differences.Select(d => new ReadingDifferenceView(d.Rating.SchoolCode, d.Rating.SchoolName, d.Rating.CountyCode, Name(d.Rating.CountyCode),
                d.Rating.ByDepartment ? "教育厅评定" : "教育局评定", Word(d.Level), Word(d.Other))).ToArray(),
            countyCode is null ? "全区" : (await store.FindOrganisationAsync(countyCode, ct))?.Name ?? countyCode);
    }

    /// <summary>Which column decides a school's level (第十一条), as the report states it.</summary>
    public const string Basis = "教育局报送的四星级申请与厅直属学校以教育厅评定栏的星级为准（不高于申报星级）；其余学校以教育局评定栏的星级为准（至多三星级，不高于申报星级）。"
        + "四星级认定通过率只计教育局报送的申请（第十五条（2））；四星级及以上占比与连续三年未晋级的学校以星级登记为准（第十三、十四条）。"
        + "三星级占比只计教育局认定的三星级学校，以当年培育名单上本县（区）的自治区培育对象为当地培育学校总数（第十一条（二））。该栏仍有待填或无法计算的指标时为“待定”。";

    /// <summary>The reading of "a ★ item is met" in force, in words, with what the other would be.</summary>
    public static string ReadingText(StarItemReading reading) => reading == StarItemReading.FullPoints
        ? "现按“★项须得满分方为达标”认定；下列学校若按“★项有得分即为达标”认定，星级会不同"
        : "现按“★项有得分即为达标”认定；下列学校若按“★项须得满分方为达标”认定，星级会不同";

    private static string Word(int? stars) => stars is >= 2 ? RaterText.Stars(stars.Value) : "未达到星级";

    private static string Status(RuleStatus status) => status.ToString().ToLowerInvariant();

    private static string Verdict(RuleStatus status, string breached) => status switch
    {
        RuleStatus.Breached => breached,
        RuleStatus.Undecided => "待定",
        _ => "符合",
    };
}
