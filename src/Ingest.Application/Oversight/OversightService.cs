using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Application.UseCases;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Data.Organisations;
using Ingest.Data.Oversight;
using Ingest.Data.Scoresheets;
using Ingest.Scoring.Oversight;
using Ingest.Scoring.Sheets;
using Microsoft.Extensions.Options;

namespace Ingest.Application.Oversight;

/// <summary>
/// A county's bureau against the data (第十五条（1）: 未能客观公正开展认定的): each school the bureau rated, the most it went
/// beyond the data first; and the county's figures.
/// </summary>
/// <param name="NotRated">Schools of the county with a sheet in the cycle whose 教育局评定 column has no entry yet.</param>
public sealed record CountyOversight(string CountyCode, string CountyName, string Cycle, OversightRules Rules, IReadOnlyList<SchoolOversight> Schools, int NotRated)
{
    /// <summary>The county's line in the region view.</summary>
    public RegionOversightLine Line => new(CountyCode, CountyName, Schools.Count, NotRated, Schools.Count(s => s.Overrides.Count > 0),
        Schools.Sum(s => s.Overrides.Count(o => o.Delta > 0)), Schools.Sum(s => s.Overrides.Count(o => o.Delta < 0)), Schools.Sum(s => s.Beyond),
        Schools.Sum(s => s.Under), Schools.Count(s => s.LevelsAbove > 0), Schools.Count(s => s.FarAbove), Schools.Sum(s => s.OnSiteGaps.Count));
}

/// <summary>One county in the region view: how its bureau rated against the data, in figures.</summary>
/// <param name="Raised">Pre-filled lines the bureau scored above the data.</param>
/// <param name="Lowered">Pre-filled lines the bureau scored below the data.</param>
/// <param name="Beyond">Points the bureau gave beyond the data, over all its schools.</param>
/// <param name="LevelAboveData">Schools the bureau rated at a higher level than the data gives.</param>
/// <param name="FarAbove">Schools the bureau rated high whose data level is levels lower (<see cref="OversightRules"/>).</param>
public sealed record RegionOversightLine(string CountyCode, string CountyName, int Rated, int NotRated, int WithOverrides, int Raised, int Lowered, decimal Beyond,
    decimal Under, int LevelAboveData, int FarAbove, int OnSiteGaps);

/// <summary>
/// The department's oversight of the counties' ratings: the bureau's column against the data, per county and for the
/// region. The department and auditors read it (a county's auditor its own county); the bureaus, schools and operations
/// do not: it rates the bureaus.
/// </summary>
public sealed partial class OversightService(ScoresheetReader store, ScoresheetService sheets, OrganisationStore organisations, AccessRules access,
    IOptionsMonitor<OversightOptions> options, IOptionsMonitor<ScoringSettings> scoring, ProgrammeReportService programme, SpotCheckStore spotChecks,
    CountyDecisionStore decisions)
{
    private const string Title = "无法生成评定监督报告";

    /// <summary>One county's bureau against the data in school cycle <paramref name="cycle"/>, the schools it went furthest beyond the data first.</summary>
    public async Task<Outcome<CountyOversight>> CountyAsync(Caller caller, string county, EvaluationCycle cycle, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(cycle);
        if (Refused(caller) is not null || !await access.InScopeAsync(caller, county, ct))
        {
            return Refusal.Forbidden($"{caller.Describe()}无权查看 {county} 的评定监督报告");
        }

        if (cycle.Rubric != RubricKind.School)
        {
            return Refusal.Invalid(Title, "cycle", $"评定监督针对学校星级评定；{cycle} 不是学校评定周期（school:年度）");
        }

        var org = await organisations.FindAsync(county, ct);
        if (org is not { Level: OrgLevel.County })
        {
            return Refusal.NotFound(Title, $"机构目录中没有县（区）{county}");
        }

        return await BuildAsync(org, cycle, ct);
    }

    /// <summary>Every county of the region in one line each, the county whose bureau went furthest beyond the data first; a county's auditor reads its own line.</summary>
    public async Task<Outcome<IReadOnlyList<RegionOversightLine>>> RegionAsync(Caller caller, EvaluationCycle cycle, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(cycle);
        if (Refused(caller) is not null)
        {
            return Refusal.Forbidden($"{caller.Describe()}无权查看全区的评定监督报告");
        }

        if (cycle.Rubric != RubricKind.School)
        {
            return Refusal.Invalid(Title, "cycle", $"评定监督针对学校星级评定；{cycle} 不是学校评定周期（school:年度）");
        }

        var counties = caller.Scope == Organisation.RegionCode
            ? (await organisations.ListCountiesAsync(ct)).ToArray()
            : (await organisations.FindAsync(caller.Scope, ct)) is { Level: OrgLevel.County } own ? [own] : [];
        var lines = new List<RegionOversightLine>();
        foreach (var county in counties)
        {
            lines.Add((await BuildAsync(county, cycle, ct)).Line);
        }

        return lines.OrderByDescending(l => l.Beyond).ThenByDescending(l => l.FarAbove).ThenBy(l => l.CountyCode, StringComparer.Ordinal).ToArray();
    }

    private static string? Refused(Caller caller) => caller.IsCommandLine || caller.Role is Roles.Department or Roles.Auditor ? null : caller.Role;

    private async Task<CountyOversight> BuildAsync(Organisation county, EvaluationCycle cycle, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        var rules = new OversightRules(settings.OnSiteMargin, settings.FarAboveTotal, settings.FarAboveLevels);
        var reading = scoring.CurrentValue.StarItemsMet;
        var summaries = (await store.ListAsync(cycle, county.Code, ct)).Where(s => s.OrgCode != county.Code)
            .GroupBy(s => s.OrgCode, StringComparer.Ordinal).Select(g => g.MaxBy(s => s.Id)!).ToArray();
        var rated = summaries.Where(s => s.Finalised || s.Columns.GetValueOrDefault("bureau") is { Entries: > 0 }).ToArray();
        var schools = new List<SchoolOversight>();
        foreach (var summary in rated)
        {
            // Reading a stored sheet: nothing is built or re-scored on the reader's behalf.
            schools.Add(BureauComparer.Compare(await sheets.GetAsync(summary.OrgCode, cycle, opener: null, ct), rules, reading));
        }

        return new CountyOversight(county.Code, county.Name, cycle.ToString(), rules,
            schools.OrderByDescending(s => s.Beyond).ThenByDescending(s => s.LevelsAbove).ThenBy(s => s.SchoolCode, StringComparer.Ordinal).ToArray(),
            summaries.Length - rated.Length);
    }
}
