using System.Text;
using Ingest.Application.Claims;
using Ingest.Application.People;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Core.Text;
using Ingest.Data.Organisations;
using Ingest.Documents.Claims;
using Ingest.Host.People;
using Ingest.Host.Web;
using Ingest.Scoring.Rubrics;

namespace Ingest.Host.Audit;

public static partial class ClaimsEndpoints
{
    private static async Task<IResult> CountyReportAsync(string cycle, string? county, string? asOf, string? run, HttpContext http,
        ClaimsReportService reports, Func<CountyClaimsReport, IResult> answer, CancellationToken ct)
    {
        var caller = HttpCaller.Of(http);
        if (Parse(cycle) is not { } c)
        {
            return CycleProblem(cycle);
        }

        if (ReportMoment.Parse(asOf, run) is not { } moment)
        {
            return MomentProblem(asOf, run);
        }

        return (await reports.CountyAsync(caller, county ?? caller.Scope, c, moment, ct)).Answer(answer);
    }

    private static IResult CycleProblem(string cycle) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { ["cycle"] = [$"“{cycle}”不是评定周期，例如 school:2025"] }, title: "评定周期无法识别");


    private static IResult MomentProblem(string? asOf, string? run) =>
        Results.ValidationProblem(title: "截至时间无法识别", errors: !string.IsNullOrWhiteSpace(asOf) && !string.IsNullOrWhiteSpace(run)
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
