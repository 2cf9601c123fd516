using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Core.Periods;
using Ingest.Host.People;
using Ingest.Host.Documents;
using Ingest.Host.Web;
using static Ingest.Host.Scoring.ScoringApi;

namespace Ingest.Host.Scoring;

/// <summary>The programme report of a school star year, per county.</summary>
public static class ProgrammeEndpoints
{
    public static IEndpointRouteBuilder MapProgrammeReport(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/reports/{cycle}/programme", ReportAsync)
            .Allow(OrgFrom.Query, "county", Roles.Department, Roles.Bureau, Roles.Auditor)
            .WithTags("Reports")
            .WithSummary("The programme rules of a school star year, per county: 3-star schools against 30% of the roster's 培育对象, the pass rate of forwarded 4-star applications, each county's share of 四星级 and above, schools listed by 第十四条, and the schools whose level depends on the reading of a ★ item.");
        app.MapGet("/api/reports/{cycle}/programme.xlsx", WorkbookAsync)
            .Allow(OrgFrom.Query, "county", Roles.Department, Roles.Bureau, Roles.Auditor)
            .WithTags("Reports")
            .WithSummary("The programme report as a workbook, a sheet per rule.");
        return app;
    }

    private static Task<IResult> ReportAsync(string cycle, string? county, HttpContext http, ProgrammeReportService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.BuildAsync(HttpCaller.Of(http), c, county, ct)).Answer(Results.Ok));

    private static Task<IResult> WorkbookAsync(string cycle, string? county, HttpContext http, ProgrammeReportService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.BuildAsync(HttpCaller.Of(http), c, county, ct)).Answer(r =>
            Results.File(ProgrammeReportExport.Workbook(r), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                Ingest.Core.Text.FileNames.Safe($"{r.Scope}-{c.Year}年度项目报告.xlsx"))));
}
