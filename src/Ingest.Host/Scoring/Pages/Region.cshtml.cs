using Ingest.Application.People;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Data.Organisations;
using Ingest.Data.Scoresheets;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Scoring.Pages;

/// <summary>One county's figures rolled up from its schools' sheets.</summary>
public sealed record CountyRollUp(Organisation County, int Schools, int Sheets, int Applied, IReadOnlyDictionary<string, decimal?> Averages,
    IReadOnlyDictionary<int, int> BureauLevels, IReadOnlyDictionary<int, int> DepartmentLevels, int Pending, int NotComputable);

/// <summary>The region as the department sees it: a line per county with its schools' figures rolled up.</summary>
[Microsoft.AspNetCore.Authorization.Authorize(Roles = Roles.Department + "," + Roles.Auditor)]
[Allow(Roles.Department, Roles.Auditor, Org = OrgFrom.Region)]
public sealed class RegionModel(ScoresheetReader store, OrganisationStore organisations, Ingest.Application.Year.LevelService levels) : PageModel
{
    private static readonly string[] ColumnKeys = ["self", "bureau", "department"];

    [FromRoute]
    public string Cycle { get; set; } = string.Empty;

    public EvaluationCycle? Parsed { get; private set; }

    public IReadOnlyList<CountyRollUp> Counties { get; private set; } = [];

    /// <summary>
    /// The department's work list, by county: the applications the bureaus forwarded and the 厅直属 schools, whose
    /// 教育厅评定 still waits (第十一条（三）).
    /// </summary>
    public IReadOnlyList<(Organisation County, Ingest.Application.Year.SchoolDecision School)> Awaiting { get; private set; } = [];

    /// <summary>Schools applying for 四星级 or above that their bureau has not forwarded yet: not the department's until it does.</summary>
    public IReadOnlyList<(Organisation County, Ingest.Application.Year.SchoolDecision School)> NotForwarded { get; private set; } = [];

    /// <summary>For a county cycle (county:YYYY): each county with its own sheet of the 100-point standard, or none yet.</summary>
    public IReadOnlyList<(Organisation County, ScoresheetSummary? Sheet)> CountySheets { get; private set; } = [];

    public bool IsCountyCycle => Parsed?.Rubric == RubricKind.County;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (HttpCaller.Of(HttpContext).Scope != Organisation.RegionCode)
        {
            return Forbid();
        }

        try
        {
            Parsed = EvaluationCycle.Parse(Cycle);
        }
        catch (FormatException)
        {
            return NotFound();
        }

        if (IsCountyCycle)
        {
            var own = (await store.ListAsync(Parsed, null, ct)).Where(s => s.OrgCode == s.CountyCode).ToDictionary(s => s.OrgCode, StringComparer.Ordinal);
            CountySheets = (await organisations.ListCountiesAsync(ct)).Select(c => (c, own.GetValueOrDefault(c.Code))).ToArray();
            return Page();
        }

        var sheets = (await store.ListAsync(Parsed, null, ct)).Where(s => s.CountyCode is not null && s.OrgCode != s.CountyCode).ToLookup(s => s.CountyCode!);
        var rollups = new List<CountyRollUp>();
        var active = await organisations.CountActiveSchoolsByCountyAsync(ct);
        foreach (var county in await organisations.ListCountiesAsync(ct))
        {
            var list = sheets[county.Code].ToArray();
            var schools = active.GetValueOrDefault(county.Code);
            rollups.Add(new CountyRollUp(county, schools, list.Length, list.Count(s => s.AppliedStars is not null),
                ColumnKeys.ToDictionary(k => k, k =>
                {
                    var totals = list.Select(s => s.Columns.GetValueOrDefault(k)?.Total).OfType<decimal>().ToArray();
                    return totals.Length == 0 ? (decimal?)null : Math.Round(totals.Average(), 1);
                }),
                Levels(list, "bureau"), Levels(list, "department"),
                list.Sum(s => s.Columns.GetValueOrDefault("department")?.Pending ?? 0), list.Sum(s => s.Columns.GetValueOrDefault("department")?.NotComputable ?? 0)));
        }

        Counties = rollups;
        var names = rollups.ToDictionary(r => r.County.Code, r => r.County, StringComparer.Ordinal);
        var decisions = (await levels.DecisionsAsync(HttpCaller.Of(HttpContext), Parsed.Year, null, ct)).Value.Where(d => names.ContainsKey(d.CountyCode)).ToArray();
        Awaiting = decisions.Where(d => d.ByDepartment && d.Decided.Stars is null).Select(d => (names[d.CountyCode], d)).ToArray();
        NotForwarded = decisions.Where(d => d.AppliedStars >= 4 && !d.ByDepartment).Select(d => (names[d.CountyCode], d)).ToArray();
        return Page();

        static IReadOnlyDictionary<int, int> Levels(IEnumerable<ScoresheetSummary> list, string column) =>
            list.GroupBy(s => s.Columns.GetValueOrDefault(column)?.Stars ?? 0).ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>拟申报四星级 2、三星级 5、未达到星级 80: each level in the column's own words.</summary>
    public static string Distribution(IReadOnlyDictionary<int, int> levels, Func<int, string> words) =>
        levels.Count == 0 ? "—" : string.Join("、", levels.OrderByDescending(l => l.Key).Select(l => $"{words(l.Key)} {l.Value}"));
}
