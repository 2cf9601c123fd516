using Ingest.Application.Claims;
using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Core.Sheets;
using Ingest.Core.Text;
using Ingest.Data.Claims;
using Ingest.Data.Organisations;
using Ingest.Documents.Claims;
using Ingest.Host.Documents;
using Ingest.Host.People;
using Ingest.Host.Web;

namespace Ingest.Host.Audit;

/// <summary>The claims file over HTTP: its template, its import (a school for itself, a bureau for its county) and a school's claims.</summary>
public static partial class ClaimsEndpoints
{
    public static IEndpointRouteBuilder MapClaimsApi(this IEndpointRouteBuilder app)
    {
        var claims = app.MapGroup("/api/claims/{cycle}").WithTags("Claims");
        claims.MapGet("/template.csv", TemplateCsvAsync)
            .Allow(OrgFrom.Query, "county", Roles.Department, Roles.Bureau, Roles.School, Roles.Auditor)
            .WithSummary("The claims file to fill (UTF-8 CSV): one row per item of every school of ?county= or of ?org=.");
        claims.MapGet("/template.xlsx", TemplateXlsxAsync)
            .Allow(OrgFrom.Query, "county", Roles.Department, Roles.Bureau, Roles.School, Roles.Auditor)
            .WithSummary("The claims file to fill as an Excel workbook with one sheet.");
        claims.MapPost("/import", ImportAsync)
            .Allow(OrgFrom.Body, null, Roles.School, Roles.Bureau)
            .WithSummary("Imports a claims file (CSV in UTF-8 or GB18030, or xlsx, as the body; ?fileName=…): every row checked, all or none.");
        claims.MapGet("/report", ReportAsync)
            .WithTags("Audit")
            .Allow(OrgFrom.Query, "county", Roles.Department, Roles.Bureau, Roles.Auditor)
            .WithSummary("The discrepancy report of a county (?county=, default the caller's): claims against the data, schools sorted by excess, levels in doubt; ?asOf= (a time) or ?run= (a run's end) for the report as it stood then.");
        claims.MapGet("/report.csv", ReportCsvAsync)
            .WithTags("Audit", "Exports")
            .Allow(OrgFrom.Query, "county", Roles.Department, Roles.Bureau, Roles.Auditor)
            .WithSummary("The county's discrepancy report as CSV (UTF-8), a line per compared claim; formula text neutralised.");
        claims.MapGet("/report.xlsx", ReportXlsxAsync)
            .WithTags("Audit", "Exports")
            .Allow(OrgFrom.Query, "county", Roles.Department, Roles.Bureau, Roles.Auditor)
            .WithSummary("The county's discrepancy report as an Excel workbook; formula text neutralised.");
        claims.MapGet("/{org}/report", SchoolReportAsync)
            .WithTags("Audit")
            .Allow(OrgFrom.Route, "org", Roles.Department, Roles.Bureau, Roles.School, Roles.Auditor)
            .WithSummary("The discrepancy report of one school: each claim on a pre-filled item against the data, and its level against the data's.");
        claims.MapGet("/{org}", SchoolClaimsAsync)
            .Allow(OrgFrom.Route, "org", Roles.Department, Roles.Bureau, Roles.School, Roles.Auditor)
            .WithSummary("A school's current claims for the cycle, and every import that has held them.");
        return app;
    }

    private static Task<IResult> TemplateCsvAsync(string cycle, string? county, string? org, HttpContext http, AccessRules rules, OrganisationStore organisations,
        CancellationToken ct) => TemplateAsync(cycle, county, org, http, rules, organisations, xlsx: false, ct);

    private static Task<IResult> TemplateXlsxAsync(string cycle, string? county, string? org, HttpContext http, AccessRules rules, OrganisationStore organisations,
        CancellationToken ct) => TemplateAsync(cycle, county, org, http, rules, organisations, xlsx: true, ct);

    private static async Task<IResult> ImportAsync(string cycle, string? fileName, HttpContext http, ClaimsService service, CancellationToken ct)
    {
        if (Parse(cycle) is not { } c)
        {
            return CycleProblem(cycle);
        }

        var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        return (await service.ImportAsync(HttpCaller.Of(http), buffer.ToArray(), fileName ?? "自评.csv", c, ct)).Answer(Results.Ok);
    }

    private static Task<IResult> ReportAsync(string cycle, string? county, string? asOf, string? run, HttpContext http,
        ClaimsReportService reports, CancellationToken ct) => CountyReportAsync(cycle, county, asOf, run, http, reports, Results.Ok, ct);

    private static Task<IResult> ReportCsvAsync(string cycle, string? county, string? asOf, string? run, HttpContext http,
        ClaimsReportService reports, CancellationToken ct) => CountyReportAsync(cycle, county, asOf, run, http, reports,
        r => Results.File(ClaimsReportExport.Csv(r), "text/csv; charset=utf-8", FileNames.Safe($"{r.CountyCode}-{r.CountyName}-自评核查.csv")), ct);

    private static Task<IResult> ReportXlsxAsync(string cycle, string? county, string? asOf, string? run, HttpContext http,
        ClaimsReportService reports, CancellationToken ct) => CountyReportAsync(cycle, county, asOf, run, http, reports,
        r => Results.File(ClaimsReportExport.Workbook(r), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileNames.Safe($"{r.CountyCode}-{r.CountyName}-自评核查.xlsx")), ct);

    private static async Task<IResult> SchoolReportAsync(string cycle, string org, string? asOf, string? run, HttpContext http, ClaimsReportService reports,
        CancellationToken ct)
    {
        if (Parse(cycle) is not { } c)
        {
            return CycleProblem(cycle);
        }

        if (ReportMoment.Parse(asOf, run) is not { } moment)
        {
            return MomentProblem(asOf, run);
        }

        return (await reports.SchoolAsync(HttpCaller.Of(http), org, c, moment, ct)).Answer(Results.Ok);
    }

    private static async Task<IResult> SchoolClaimsAsync(string cycle, string org, HttpContext http, AccessRules rules, ClaimStore store, CancellationToken ct)
    {
        if (!(await rules.SheetAsync(HttpCaller.Of(http), org, ct)).Read)
        {
            return Problems.Forbidden($"{HttpCaller.Of(http).Describe()}无权查看 {org} 的自评");
        }

        var current = (await store.CurrentAsync(cycle, [org], ct)).SingleOrDefault();
        return Results.Ok(new { current, imports = await store.HistoryAsync(cycle, org, ct) });
    }
}
