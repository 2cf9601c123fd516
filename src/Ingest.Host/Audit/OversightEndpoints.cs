using Ingest.Application.Oversight;
using Ingest.Application.People;
using Ingest.Core.Oversight;
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
        oversight.MapGet("/table", TableAsync)
            .Allow(Roles.Department, Roles.Auditor)
            .WithSummary("The department's table of 第十五条 and 第十三条: per county its 4★ pass rate over forwarded applications, its spot checks and failures, its share of ≥ 4★ schools, how far its bureau went beyond the data, the conditions it meets and the department's decision (a county's auditor: its own county).");
        oversight.MapGet("/table.xlsx", TableWorkbookAsync)
            .WithTags("Exports")
            .Allow(Roles.Department, Roles.Auditor)
            .WithSummary("The same table as an Excel workbook.");
        oversight.MapPost("/counties/{county}/decision", DecideAsync)
            .Allow(OrgFrom.Route, "county", Roles.Department)
            .ProducesValidationProblem()
            .WithSummary("Records the department's decision on the county for the year: {\"criticised\": true, \"quota\": \"3\", \"note\": …} (通报批评 needs a note; quota: next year's 培育 quota, or empty).");
        var checks = oversight.MapGroup("/counties/{county}/spot-checks").WithTags("Oversight");
        checks.MapGet("/", SpotChecksAsync)
            .Allow(OrgFrom.Route, "county", Roles.Department, Roles.Auditor, Roles.Bureau)
            .WithSummary("The county's spot-check draw (第十五条（3）): its seed, size, the schools eligible when drawn, the schools drawn with their 学段, the bureau's and the department's levels and the conclusions; the county's bureau reads it once the department has closed it.");
        checks.MapPost("/", DrawAsync)
            .Allow(OrgFrom.Route, "county", Roles.Department)
            .ProducesValidationProblem()
            .WithSummary("Draws the county's sample of 二星级/三星级 schools, stratified by 学段, with {\"seed\": 123456} or a new seed, and records it before any check: once per county and cycle.");
        checks.MapPost("/{school}/conclude", ConcludeAsync)
            .Allow(OrgFrom.Route, "county", Roles.Department)
            .ProducesValidationProblem()
            .WithSummary("Concludes a drawn school's check from its complete 教育厅评定 column by the rule in force (Oversight:SpotCheckRule): 合格 or 不合格, a 不合格 with {\"note\": …}.");
        checks.MapPost("/close", CloseAsync)
            .Allow(OrgFrom.Route, "county", Roles.Department)
            .ProducesValidationProblem()
            .WithSummary("Closes the draw once every check is concluded and records the county's outcome (不合格 when any check is), which publishes it to the county's bureau.");
        return app;
    }

    private static Task<IResult> TableAsync(string cycle, HttpContext http, OversightService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.TableAsync(HttpCaller.Of(http), c, ct)).Answer(Results.Ok));

    private static Task<IResult> TableWorkbookAsync(string cycle, HttpContext http, OversightService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.TableAsync(HttpCaller.Of(http), c, ct)).Answer(t =>
            Results.File(Ingest.Host.Documents.CountyTableExport.Workbook(t), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                Ingest.Core.Text.FileNames.Safe($"{c.Year}年度第十五条情况表.xlsx"))));

    private static Task<IResult> DecideAsync(string cycle, string county, CountyDecisionBody body, HttpContext http, OversightService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.DecideAsync(HttpCaller.Of(http), county, c, body.Criticised, body.Quota, body.Note, ct)).Answer(Results.Ok));

    private static Task<IResult> SpotChecksAsync(string cycle, string county, HttpContext http, SpotCheckService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.ReadAsync(HttpCaller.Of(http), county, c, ct))
            .Answer(r => r.Draw is { } d ? Results.Ok(View(d)) : Results.Ok(new { Drawn = false, r.Message })));

    private static Task<IResult> DrawAsync(string cycle, string county, SpotCheckDrawBody? body, HttpContext http, SpotCheckService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.DrawAsync(HttpCaller.Of(http), county, c, body?.Seed, ct)).Answer(d => Results.Ok(View(d))));

    private static Task<IResult> ConcludeAsync(string cycle, string county, string school, SpotCheckNoteBody? body, HttpContext http, SpotCheckService service,
        CancellationToken ct) =>
        Handle(cycle, async c => (await service.ConcludeAsync(HttpCaller.Of(http), county, c, school, body?.Note, ct)).Answer(k => Results.Ok(View(k))));

    private static Task<IResult> CloseAsync(string cycle, string county, SpotCheckNoteBody? body, HttpContext http, SpotCheckService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.CloseAsync(HttpCaller.Of(http), county, c, body?.Note, ct)).Answer(d => Results.Ok(View(d))));

    /// <summary>A draw as the API gives it: levels in words, the population it was drawn from, so that anyone can draw it again.</summary>
    public static object View(SpotCheckDraw draw)
    {
        ArgumentNullException.ThrowIfNull(draw);
        return new
        {
            Drawn = true, draw.Cycle, draw.CountyCode, draw.Seed, draw.SampleSize, draw.DrawnBy, draw.DrawnAt,
            Method = "按学段分层：各学段至少一所（样本量允许时），其余按各学段学校数比例以最大余数法分配；学段内按 SHA-256(\"随机种子:学校标识码\") 的十六进制值从小到大抽取",
            Population = draw.Population.Select(p => new { p.Code, p.Name, p.Stratum, Level = RaterText.Stars(p.Stars) }),
            Checks = draw.Checks.Select(View), draw.Outcome, draw.Note, draw.ClosedBy, draw.ClosedAt,
        };
    }

    private static object View(SpotCheck check) => new
    {
        check.SchoolCode, check.SchoolName, check.Stratum, BureauLevel = RaterText.Stars(check.BureauStars),
        DepartmentLevel = check.DepartmentStars is { } d ? RaterText.Stars(d) : null, check.Outcome, check.Note, check.DecidedBy, check.DecidedAt,
    };

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

/// <summary>A spot-check draw as the API takes it: the seed to draw with, or none for a new one.</summary>
public sealed record SpotCheckDrawBody(long? Seed);

/// <summary>The department's note on a check or on the county's outcome.</summary>
public sealed record SpotCheckNoteBody(string? Note);

/// <summary>The department's decision on a county as the API takes it; the quota as written (empty: unchanged).</summary>
public sealed record CountyDecisionBody(bool Criticised, string? Quota, string? Note);
