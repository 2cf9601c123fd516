using Ingest.Application.People;
using Ingest.Application.Year;
using Ingest.Host.People;
using Ingest.Host.Web;

namespace Ingest.Host.Scoring;

/// <summary>A school's place on the cultivation roster, as the API takes it: 类别 and the 批复 that approved it.</summary>
public sealed record RosterBody(string? Kind, string? ApprovalDoc, string? ApprovalDate);

/// <summary>The cultivation roster of a year over HTTP: read within the caller's scope, kept by the department.</summary>
public static class RosterEndpoints
{
    public static IEndpointRouteBuilder MapRoster(this IEndpointRouteBuilder app)
    {
        var roster = app.MapGroup("/api/roster/{year:int}").WithTags("Rating year");
        roster.MapGet("/", ListAsync)
            .Allow(OrgFrom.Query, "county", Roles.Department, Roles.Bureau, Roles.Auditor)
            .WithSummary("The cultivation roster of a year (第六–九条): each school with its 类别 (自治区培育对象, 县级培育学校, 厅直属) and 批复; ?county= for one county.");
        roster.MapPost("/import", ImportAsync)
            .Allow(Roles.Department)
            .ProducesValidationProblem()
            .WithSummary("Imports a roster file (CSV in UTF-8 or GB18030, or xlsx, as the body; ?fileName=…): 学校标识码, 类别, 批复文号, 批复日期. Each county the file names gets exactly its schools, all or none.");
        roster.MapPut("/{school}", SetAsync)
            .Allow(Roles.Department)
            .ProducesValidationProblem()
            .WithSummary("Puts a school on the year's roster, or changes its 类别 or 批复: {\"kind\":\"自治区培育对象\",\"approvalDoc\":\"宁教信〔2025〕12号\",\"approvalDate\":\"2025-03-10\"}.");
        roster.MapDelete("/{school}", RemoveAsync)
            .Allow(Roles.Department)
            .WithSummary("Takes a school off the year's roster.");
        return app;
    }

    private static async Task<IResult> ListAsync(int year, string? county, HttpContext http, RosterService service, CancellationToken ct) =>
        (await service.ListAsync(HttpCaller.Of(http), year, county, ct)).Answer(list => Results.Ok(list.Select(View)));

    private static async Task<IResult> ImportAsync(int year, string? fileName, HttpContext http, RosterService service, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        return (await service.ImportAsync(HttpCaller.Of(http), year, buffer.ToArray(), fileName ?? "培育名单.csv", ct)).Answer(Results.Ok);
    }

    private static async Task<IResult> SetAsync(int year, string school, RosterBody body, HttpContext http, RosterService service, CancellationToken ct) =>
        (await service.SetAsync(HttpCaller.Of(http), year, school, body.Kind, body.ApprovalDoc, body.ApprovalDate, ct)).Answer(e => Results.Ok(View(e)));

    private static async Task<IResult> RemoveAsync(int year, string school, HttpContext http, RosterService service, CancellationToken ct) =>
        (await service.RemoveAsync(HttpCaller.Of(http), year, school, ct)).Answer(_ => Results.NoContent());

    private static object View(Ingest.Data.Organisations.RosterEntry e) => new
    {
        e.Year, e.SchoolCode, e.SchoolName, e.CountyCode, Kind = RosterService.KindText(e.Kind), e.ApprovalDoc, e.ApprovalDate, e.AddedBy, e.AddedAt,
    };
}
