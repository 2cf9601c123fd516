using Ingest.Core.Periods;
using Ingest.Data.Scoresheets;
using Ingest.Scoring.Programme;
using Microsoft.Extensions.Options;

namespace Ingest.Host.Scoring;

/// <summary>The programme report of a school star year as the API and CLI show it: rule statuses as words, counties named.</summary>
public sealed record ProgrammeReportView(
    string Cycle,
    ProgrammeSettings Settings,
    IReadOnlyList<ThreeStarShareView> ThreeStarShare,
    IReadOnlyList<FourStarPassView> FourStarPassRate,
    IReadOnlyList<DemotionView> Demotions);

/// <summary>第十一条（二） for one county; <paramref name="Status"/> is met, breached or undecided.</summary>
public sealed record ThreeStarShareView(string CountyCode, string CountyName, int CultivationSchools, int Allowed, IReadOnlyList<string> ThreeStarSchools, int Undecided, string Status);

/// <summary>第十五条（2） for one county; <paramref name="Status"/> is met, breached or undecided.</summary>
public sealed record FourStarPassView(string CountyCode, string CountyName, int Applications, int Passed, IReadOnlyList<string> Failed, int Undecided, decimal? Rate, string Status);

/// <summary>第十四条: a school flagged for demotion, with the level it held each year.</summary>
public sealed record DemotionView(string SchoolCode, string SchoolName, string CountyCode, string CountyName, IReadOnlyList<YearLevel> Levels);

/// <summary>
/// Reads every school scoresheet of the year and of the years the demotion rule looks back over, and builds the
/// programme report from the stored column results: nothing is re-scored, so the report shows what staff see.
/// </summary>
public sealed class ProgrammeReportService(ScoresheetStore store, IOptionsMonitor<ProgrammeSettings> settings)
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

        var report = ProgrammeReport.Build(cycle.Year, ratings, current);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var code in report.ThreeStarShare.Select(l => l.CountyCode).Distinct(StringComparer.Ordinal))
        {
            names[code] = (await store.FindOrganisationAsync(code, ct))?.Name ?? code;
        }

        string Name(string code) => names.GetValueOrDefault(code, code);
        return new ProgrammeReportView(cycle.ToString(), current,
            report.ThreeStarShare.Select(l => new ThreeStarShareView(l.CountyCode, Name(l.CountyCode), l.CultivationSchools, l.Allowed, l.ThreeStarSchools, l.Undecided, Status(l.Status))).ToArray(),
            report.FourStarPassRate.Select(l => new FourStarPassView(l.CountyCode, Name(l.CountyCode), l.Applications, l.Passed, l.Failed, l.Undecided, l.Rate, Status(l.Status))).ToArray(),
            report.Demotions.Select(d => new DemotionView(d.SchoolCode, d.SchoolName, d.CountyCode, Name(d.CountyCode), d.Levels)).ToArray());
    }

    private static string Status(RuleStatus status) => status.ToString().ToLowerInvariant();
}
