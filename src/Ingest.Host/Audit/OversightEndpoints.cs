using Ingest.Application.Oversight;
using Ingest.Application.People;
using Ingest.Host.People;
using Ingest.Host.Web;
using Ingest.Scoring.Oversight;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;
using static Ingest.Host.Scoring.ScoringApi;

namespace Ingest.Host.Audit;

/// <summary>The department's oversight of the bureaus over HTTP: each county's 教育局评定 column against the data.</summary>
public static class OversightEndpoints
{
    public static IEndpointRouteBuilder MapOversight(this IEndpointRouteBuilder app)
    {
        var oversight = app.MapGroup("/api/oversight/{cycle}").WithTags("Oversight");
        oversight.MapGet("/region", RegionAsync)
            .Allow(Roles.Department, Roles.Auditor)
            .WithSummary("Every county in one line: schools its bureau rated, pre-filled lines it raised or lowered, points beyond the data, schools rated above their data level and far above it; the county furthest beyond the data first (a county's auditor: its own line).");
        oversight.MapGet("/counties/{county}", CountyAsync)
            .Allow(OrgFrom.Route, "county", Roles.Department, Roles.Auditor)
            .WithSummary("A county's bureau against the data, school by school (furthest beyond the data first): each overridden pre-filled line with its data score, the bureau's, the reason and who; the bureau's total and level against the data's; on-site lines far from the school's 自评.");
        return app;
    }

    private static Task<IResult> RegionAsync(string cycle, HttpContext http, OversightService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.RegionAsync(HttpCaller.Of(http), c, ct)).Answer(Results.Ok));

    private static Task<IResult> CountyAsync(string cycle, string county, HttpContext http, OversightService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.CountyAsync(HttpCaller.Of(http), county, c, ct)).Answer(r => Results.Ok(View(r))));

    /// <summary>The county report as the API gives it: levels in words, items by their printed numbers.</summary>
    public static object View(CountyOversight report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new
        {
            report.CountyCode, report.CountyName, report.Cycle, report.Rules, report.NotRated, Summary = report.Line,
            Schools = report.Schools.Select(s => new
            {
                s.SchoolCode, s.SchoolName, s.Finalised, s.BureauTotal, BureauLevel = RaterText.Level(s.BureauStars), s.DataTotal,
                DataLevel = RaterText.Level(s.DataStars), s.LevelsAbove, s.Beyond, s.Under, s.FarAbove,
                Overrides = s.Overrides.Select(o => new { Item = PrintedItems.Number(o.Target), o.Text, o.Points, o.Veto, o.DataScore, o.BureauScore, o.Delta, o.Reason, o.By, o.At }),
                OnSiteGaps = s.OnSiteGaps.Select(g => new { Item = PrintedItems.Number(g.Target), g.Text, g.Points, g.SelfScore, g.BureauScore, g.Difference, g.By }),
            }),
        };
    }
}
