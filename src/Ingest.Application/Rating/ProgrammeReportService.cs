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
    IReadOnlyList<DemotionView> Demotions);

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

/// <summary>第十四条: a school flagged for demotion, with the level it held each year.</summary>
public sealed record DemotionView(string SchoolCode, string SchoolName, string CountyCode, string CountyName, IReadOnlyList<YearLevel> Levels);

/// <summary>
/// Reads every school scoresheet of the year and of the years the demotion rule looks back over, and builds the
/// programme report from the stored column results: nothing is re-scored, so the report shows what staff see.
/// </summary>
public sealed class ProgrammeReportService(ScoresheetReader store, RosterStore roster, IOptionsMonitor<ProgrammeSettings> settings)
{
    /// <summary>The configuration section of <see cref="ProgrammeSettings"/>.</summary>
    public const string Section = "Scoring:Programme";

    /// <summary>The report for school cycle <paramref name="cycle"/>, for every county or one.</summary>
    /// <exception cref="FormatException">The cycle is not a school star cycle.</exception>
    public async Task<ProgrammeReportView> BuildAsync(EvaluationCycle cycle, string? countyCode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        if (cycle.Rubric != RubricKind.School)
        {
            throw new FormatException($"The programme rules concern school star levels; {cycle} is not a school cycle (school:YEAR).");
        }

        var current = settings.CurrentValue;
        var ratings = new List<SchoolRating>();
        for (var year = cycle.Year - current.YearsWithoutAdvance; year <= cycle.Year; year++)
        {
            var sheets = await store.ListAsync(new EvaluationCycle(RubricKind.School, year), countyCode, ct);
            // One sheet per school and cycle: where a rubric was replaced, the newest sheet counts.
            foreach (var sheet in sheets.Where(s => s.CountyCode is not null && s.CountyCode != s.OrgCode).GroupBy(s => s.OrgCode).Select(g => g.MaxBy(s => s.Id)!))
            {
                if (sheet.Columns.TryGetValue("bureau", out var bureau) && sheet.Columns.TryGetValue("department", out var department))
                {
                    ratings.Add(new SchoolRating(sheet.OrgCode, sheet.OrgName, sheet.CountyCode!, year, sheet.AppliedStars,
                        bureau.Stars, bureau.Pending + bureau.NotComputable == 0, department.Stars, department.Pending + department.NotComputable == 0));
                }
            }
        }

        // 当地培育学校总数 (第十一条（二）): the department's 培育对象 on the year's roster; county-level and 厅直属 schools apart.
        var cultivation = (await roster.ListAsync(cycle.Year, countyCode, ct)).Where(r => r.Kind == RosterKind.Region)
            .GroupBy(r => r.CountyCode, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        if (countyCode is not null)
        {
            cultivation.TryAdd(countyCode, 0);
        }

        var report = ProgrammeReport.Build(cycle.Year, ratings, current, cultivation);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var code in report.ThreeStarShare.Select(l => l.CountyCode).Distinct(StringComparer.Ordinal))
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
            report.Demotions.Select(d => new DemotionView(d.SchoolCode, d.SchoolName, d.CountyCode, Name(d.CountyCode), d.Levels)).ToArray());
    }

    /// <summary>Which column decides a school's level (第十一条), as the report states it.</summary>
    public const string Basis = "申报四星级及以上的学校以教育厅评定栏的星级为准（不高于申报星级）；其余学校以教育局评定栏的星级为准（至多三星级，不高于申报星级）。"
        + "三星级占比只计教育局认定的三星级学校，以当年培育名单上本县（区）的自治区培育对象为当地培育学校总数（第十一条（二））。该栏仍有待填或无法计算的指标时为“待定”。";

    private static string Status(RuleStatus status) => status.ToString().ToLowerInvariant();

    private static string Verdict(RuleStatus status, string breached) => status switch
    {
        RuleStatus.Breached => breached,
        RuleStatus.Undecided => "待定",
        _ => "符合",
    };
}
