using System.Text;
using Ingest.Application.Claims;
using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Core.Text;
using Ingest.Data.Claims;
using Ingest.Data.Organisations;
using Ingest.Documents.Claims;
using Ingest.Host.Documents;
using Ingest.Host.People;
using Ingest.Host.Web;
using Ingest.Scoring.Rubrics;

namespace Ingest.Host.Audit;

/// <summary>The claims file over HTTP: its template, its import (a school for itself, a bureau for its county) and a school's claims.</summary>
public static class ClaimsEndpoints
{
    public static IEndpointRouteBuilder MapClaimsApi(this IEndpointRouteBuilder app)
    {
        var claims = app.MapGroup("/api/claims/{cycle}").WithTags("Claims");
        claims.MapGet("/template.csv", (string cycle, string? county, string? org, HttpContext http, AccessRules rules, OrganisationStore organisations,
                CancellationToken ct) => TemplateAsync(cycle, county, org, http, rules, organisations, xlsx: false, ct))
            .Allow(OrgFrom.Query, "county", Roles.Department, Roles.Bureau, Roles.School, Roles.Auditor)
            .WithSummary("The claims file to fill (UTF-8 CSV): one row per item of every school of ?county= or of ?org=.");
        claims.MapGet("/template.xlsx", (string cycle, string? county, string? org, HttpContext http, AccessRules rules, OrganisationStore organisations,
                CancellationToken ct) => TemplateAsync(cycle, county, org, http, rules, organisations, xlsx: true, ct))
            .Allow(OrgFrom.Query, "county", Roles.Department, Roles.Bureau, Roles.School, Roles.Auditor)
            .WithSummary("The claims file to fill as an Excel workbook with one sheet.");
        claims.MapPost("/import", async (string cycle, string? fileName, HttpContext http, AccessRules rules, ClaimsService service, CancellationToken ct) =>
            {
                var caller = HttpCaller.Of(http);
                if (caller.Role is not (Roles.School or Roles.Bureau))
                {
                    return Problems.Forbidden("自评由学校为本校、或教育局为本县（区）学校导入");
                }

                if (Parse(cycle) is not { } c)
                {
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["cycle"] = [$"“{cycle}”不是评定周期，例如 school:2025"] });
                }

                var buffer = new MemoryStream();
                await http.Request.Body.CopyToAsync(buffer, ct);
                try
                {
                    var outcome = await service.ImportAsync(buffer.ToArray(), fileName ?? "自评.csv", c, caller.Actor,
                        (school, token) => rules.InScopeAsync(caller, school, token), ct);
                    return Results.Ok(outcome);
                }
                catch (ClaimsImportException e)
                {
                    return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "自评文件未导入",
                        extensions: new Dictionary<string, object?> { ["file"] = e.File, ["errors"] = e.Errors });
                }
            })
            .Allow(OrgFrom.Body, null, Roles.School, Roles.Bureau)
            .WithSummary("Imports a claims file (CSV in UTF-8 or GB18030, or xlsx, as the body; ?fileName=…): every row checked, all or none.");
        claims.MapGet("/report", (string cycle, string? county, string? asOf, string? run, HttpContext http, AccessRules rules, ClaimsReportService reports,
                CancellationToken ct) => CountyReportAsync(cycle, county, asOf, run, http, rules, reports, Results.Ok, ct))
            .WithTags("Audit")
            .Allow(OrgFrom.Query, "county", Roles.Department, Roles.Bureau, Roles.Auditor)
            .WithSummary("The discrepancy report of a county (?county=, default the caller's): claims against the data, schools sorted by excess, levels in doubt; ?asOf= (a time) or ?run= (a run's end) for the report as it stood then.");
        claims.MapGet("/report.csv", (string cycle, string? county, string? asOf, string? run, HttpContext http, AccessRules rules, ClaimsReportService reports,
                CancellationToken ct) => CountyReportAsync(cycle, county, asOf, run, http, rules, reports,
                    r => Results.File(ClaimsReportExport.Csv(r), "text/csv; charset=utf-8", FileNames.Safe($"{r.CountyCode}-{r.CountyName}-自评核查.csv")), ct))
            .WithTags("Audit", "Exports")
            .Allow(OrgFrom.Query, "county", Roles.Department, Roles.Bureau, Roles.Auditor)
            .WithSummary("The county's discrepancy report as CSV (UTF-8), a line per compared claim; formula text neutralised.");
        claims.MapGet("/report.xlsx", (string cycle, string? county, string? asOf, string? run, HttpContext http, AccessRules rules, ClaimsReportService reports,
                CancellationToken ct) => CountyReportAsync(cycle, county, asOf, run, http, rules, reports,
                    r => Results.File(ClaimsReportExport.Workbook(r), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", FileNames.Safe($"{r.CountyCode}-{r.CountyName}-自评核查.xlsx")), ct))
            .WithTags("Audit", "Exports")
            .Allow(OrgFrom.Query, "county", Roles.Department, Roles.Bureau, Roles.Auditor)
            .WithSummary("The county's discrepancy report as an Excel workbook; formula text neutralised.");
        claims.MapGet("/{org}/report", async (string cycle, string org, string? asOf, string? run, HttpContext http, AccessRules rules, ClaimsReportService reports,
                CancellationToken ct) =>
            {
                if (!(await rules.SheetAsync(HttpCaller.Of(http), org, ct)).Read)
                {
                    return Problems.Forbidden($"{HttpCaller.Of(http).Describe()}无权查看 {org} 的自评核查");
                }

                if (Parse(cycle) is not { } c)
                {
                    return CycleProblem(cycle);
                }

                if (ReportMoment.Parse(asOf, run) is not { } moment)
                {
                    return MomentProblem(asOf, run);
                }

                try
                {
                    return await reports.SchoolAsync(org, c, moment, ct) is { } report ? Results.Ok(report)
                        : Results.Problem($"{org} 在 {cycle} 没有自评", statusCode: StatusCodes.Status404NotFound, title: "没有自评");
                }
                catch (ScoresheetException e)
                {
                    return Results.Problem(e.Message, statusCode: e is ScoresheetNotFoundException ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest,
                        title: "无法生成自评核查报告");
                }
            })
            .WithTags("Audit")
            .Allow(OrgFrom.Route, "org", Roles.Department, Roles.Bureau, Roles.School, Roles.Auditor)
            .WithSummary("The discrepancy report of one school: each claim on a pre-filled item against the data, and its level against the data's.");
        claims.MapGet("/{org}", async (string cycle, string org, HttpContext http, AccessRules rules, ClaimStore store, CancellationToken ct) =>
            {
                if (!(await rules.SheetAsync(HttpCaller.Of(http), org, ct)).Read)
                {
                    return Problems.Forbidden($"{HttpCaller.Of(http).Describe()}无权查看 {org} 的自评");
                }

                var current = (await store.CurrentAsync(cycle, [org], ct)).SingleOrDefault();
                return Results.Ok(new { current, imports = await store.HistoryAsync(cycle, org, ct) });
            })
            .Allow(OrgFrom.Route, "org", Roles.Department, Roles.Bureau, Roles.School, Roles.Auditor)
            .WithSummary("A school's current claims for the cycle, and every import that has held them.");
        return app;
    }

    private static async Task<IResult> CountyReportAsync(string cycle, string? county, string? asOf, string? run, HttpContext http, AccessRules rules,
        ClaimsReportService reports, Func<CountyClaimsReport, IResult> answer, CancellationToken ct)
    {
        var caller = HttpCaller.Of(http);
        var scope = county ?? caller.Scope;
        if (caller.Role == Roles.School || !await rules.InScopeAsync(caller, scope, ct))
        {
            return Problems.Forbidden($"{caller.Describe()}无权查看 {scope} 的自评核查报告");
        }

        if (Parse(cycle) is not { } c)
        {
            return CycleProblem(cycle);
        }

        if (ReportMoment.Parse(asOf, run) is not { } moment)
        {
            return MomentProblem(asOf, run);
        }

        try
        {
            return answer(await reports.CountyAsync(scope, c, moment, ct));
        }
        catch (ScoresheetException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "无法生成自评核查报告");
        }
    }

    private static IResult CycleProblem(string cycle) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { ["cycle"] = [$"“{cycle}”不是评定周期，例如 school:2025"] });


    private static IResult MomentProblem(string? asOf, string? run) =>
        Results.ValidationProblem(!string.IsNullOrWhiteSpace(asOf) && !string.IsNullOrWhiteSpace(run)
            ? new Dictionary<string, string[]> { ["asOf"] = ["“截至时间”（asOf）与“截至采集批次”（run）只能给出一个"] }
            : !string.IsNullOrWhiteSpace(run)
                ? new Dictionary<string, string[]> { ["run"] = [$"“{run}”不是采集批次编号"] }
                : new Dictionary<string, string[]> { ["asOf"] = [$"“{asOf}”不是时间，例如 2026-11-30T08:00（北京时间）或 2026-11-30T00:00Z"] });

    private static EvaluationCycle? Parse(string cycle)
    {
        try
        {
            return EvaluationCycle.Parse(cycle);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static async Task<IResult> TemplateAsync(string cycle, string? county, string? org, HttpContext http, AccessRules rules, OrganisationStore organisations,
        bool xlsx, CancellationToken ct)
    {
        var caller = HttpCaller.Of(http);
        if (Parse(cycle) is not { Rubric: RubricKind.School } c)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["cycle"] = [$"“{cycle}”不是学校评定周期，例如 school:2025"] });
        }

        var scope = org ?? county ?? caller.Scope;
        if (!await rules.InScopeAsync(caller, scope, ct))
        {
            return Problems.Forbidden($"{caller.Describe()}无权取得 {scope} 的自评文件");
        }

        var schools = org is not null || caller.Role == Roles.School
            ? (await organisations.FindAsync(scope, ct) is { Level: OrgLevel.School } one ? [one] : [])
            : (await organisations.ListSchoolsAsync(scope, ct)).Where(s => s.Active).ToArray();
        if (schools.Length == 0)
        {
            return Results.Problem($"机构目录中没有 {scope} 的学校", statusCode: StatusCodes.Status404NotFound, title: "没有学校");
        }

        var rows = ClaimsTemplate.Rows(RubricLibrary.Default(c.Rubric), schools);
        var name = FileNames.Safe($"{scope}-{c.Year}年度-学校自评");
        if (xlsx)
        {
            var buffer = new MemoryStream();
            ClaimsTemplate.WriteWorkbook(buffer, rows);
            return Results.File(buffer.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name + ".xlsx");
        }

        return Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(ClaimsTemplate.Csv(rows))).ToArray(), "text/csv; charset=utf-8", name + ".csv");
    }
}
