using Ingest.Application.People;
using Ingest.Application.Year;
using Ingest.Core.Levels;
using Ingest.Host.People;
using Ingest.Host.Web;

namespace Ingest.Host.Scoring;

/// <summary>A 授牌 as the API takes it: its date, its 文号, and optionally only some schools.</summary>
public sealed record AwardBody(string? DecidedOn, string? Document, IReadOnlyList<string>? Schools);

/// <summary>A 降低 or 取消 (第十四条) as the API takes it.</summary>
/// <param name="Action">lower (降低) or revoke (取消).</param>
public sealed record LevelChangeBody(int Year, string? Action, int? Stars, string? DecidedOn, string? Document, string? Reason);

/// <summary>The rating year after 备案 over HTTP: forwarding, 授牌, the register of levels and 第十四条's decisions.</summary>
public static class LevelEndpoints
{
    public static IEndpointRouteBuilder MapLevels(this IEndpointRouteBuilder app)
    {
        var levels = app.MapGroup("/api/levels").WithTags("Rating year");
        levels.MapGet("/{year:int}/", ListAsync)
            .Allow(OrgFrom.Query, "county", Roles.Department, Roles.Bureau, Roles.Auditor)
            .WithSummary("Every school rated in the year with where it stands: who decides its level (第十条), the level decided, whether its 申报四星级 was forwarded, its 已获星级 and this year's 授牌; ?county= for one county.");
        levels.MapGet("/{year:int}/progress", ProgressAsync)
            .Allow(OrgFrom.Query, "county", Roles.Department, Roles.Bureau, Roles.Auditor)
            .WithSummary("The year's stages with their deadlines (Rating:Year) and, county by county, what still waits past one; warnings only.");
        levels.MapPost("/{year:int}/{school}/forward", ForwardAsync)
            .Allow(OrgFrom.Route, "school", Roles.Bureau)
            .ProducesValidationProblem()
            .WithSummary("The bureau forwards a finalised school's 申报四星级 (or 五星级) to the department (第十一条（二））: only then does the department decide it and the pass rate count it.");
        levels.MapPost("/{year:int}/award", AwardAsync)
            .Allow(OrgFrom.Query, "county", Roles.Bureau, Roles.Department)
            .ProducesValidationProblem()
            .WithSummary("授牌: the caller's body awards every school whose level it has decided (the bureau 二、三星级 after 备案; the department forwarded applications and 厅直属 schools): {\"decidedOn\":\"2025-09-10\",\"document\":\"…\",\"schools\":[…]}; once per school and year.");
        levels.MapPost("/{year:int}/{school}/change", ChangeAsync)
            .Allow(OrgFrom.Route, "school", Roles.Department)
            .ProducesValidationProblem()
            .WithSummary("第十四条: the department lowers (\"action\":\"lower\",\"stars\":2) or takes away (\"revoke\") a school's level, with the 文号 and date.");
        levels.MapGet("/history/{school}", HistoryAsync)
            .Allow(OrgFrom.Route, "school", Roles.Department, Roles.Bureau, Roles.Auditor, Roles.School)
            .WithSummary("A school's entries in the register of levels, oldest first: 授牌, 降低, 取消 and imported levels.");
        levels.MapPost("/import", ImportAsync)
            .Allow(Roles.Department)
            .ProducesValidationProblem()
            .WithSummary("Imports the levels awarded before this service (CSV or xlsx as the body; ?fileName=…): 学校标识码, 学校名称, 星级, 授牌年度, 授牌日期, 认定单位, 文号; all or none.");
        return app;
    }

    private static async Task<IResult> ListAsync(int year, string? county, HttpContext http, LevelService service, CancellationToken ct) =>
        (await service.DecisionsAsync(HttpCaller.Of(http), year, county, ct)).Answer(list => Results.Ok(list.Select(View)));

    private static async Task<IResult> ProgressAsync(int year, string? county, HttpContext http, LevelService service, CancellationToken ct) =>
        (await service.ProgressAsync(HttpCaller.Of(http), year, county, ct)).Answer(p => Results.Ok(new
        {
            p.Year, p.Today,
            Stages = p.Stages.Select(s => new { s.Name, s.Basis, s.Deadline, Passed = p.Today > s.Deadline }),
            Warnings = p.Warnings.Select(w => new { Stage = w.Stage.Name, w.Stage.Deadline, w.CountyCode, w.CountyName, w.Message, w.Text }),
        }));

    private static async Task<IResult> ForwardAsync(int year, string school, HttpContext http, LevelService service, CancellationToken ct) =>
        (await service.ForwardAsync(HttpCaller.Of(http), year, school, ct)).Answer(d => Results.Ok(View(d)));

    private static async Task<IResult> AwardAsync(int year, string? county, AwardBody body, HttpContext http, LevelService service, CancellationToken ct) =>
        (await service.AwardAsync(HttpCaller.Of(http), year, county, body.Schools, body.DecidedOn, body.Document, ct))
            .Answer(o => Results.Ok(new { Awarded = o.Awarded.Select(Entry), Skipped = o.Skipped.Select(s => s.Message) }));

    private static async Task<IResult> ChangeAsync(string school, LevelChangeBody body, HttpContext http, LevelService service, CancellationToken ct) =>
        (await service.ChangeAsync(HttpCaller.Of(http), school, body.Year, body.Action, body.Stars, body.DecidedOn, body.Document, body.Reason, ct))
            .Answer(e => Results.Ok(Entry(e)));

    private static async Task<IResult> HistoryAsync(string school, HttpContext http, LevelService service, CancellationToken ct) =>
        (await service.HistoryAsync(HttpCaller.Of(http), school, ct)).Answer(list => Results.Ok(list.Select(Entry)));

    private static async Task<IResult> ImportAsync(string? fileName, HttpContext http, LevelService service, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        return (await service.ImportAsync(HttpCaller.Of(http), buffer.ToArray(), fileName ?? "既有星级.csv", ct)).Answer(n => Results.Ok(new { Imported = n }));
    }

    internal static object Entry(LevelEntry e) => new
    {
        e.SchoolCode, e.SchoolName, e.CountyCode, e.Year, Action = e.ActionText, Level = LevelText.Of(e.Stars), e.Stars, e.Body, e.DecidedOn, e.Document, e.Note,
        e.RecordedBy, e.RecordedAt,
    };

    private static object View(SchoolDecision d) => new
    {
        d.SchoolCode,
        d.SchoolName,
        d.CountyCode,
        AppliedStars = d.AppliedStars is { } a ? LevelText.Of(a) : "未申报",
        d.Finalised,
        d.Direct,
        Forwarded = d.Forwarded is { } f ? new { f.ForwardedBy, f.ForwardedAt } : null,
        BureauTotal = d.Bureau?.Total,
        DepartmentTotal = d.Department?.Total,
        DecidedBy = d.ByDepartment ? "教育厅" : "教育局",
        Decided = d.Decided.Stars is { } s ? (s < 2 ? "未达到星级" : LevelText.Of(s)) : "待定",
        Held = LevelText.Held(d.Held),
        Awarded = d.Awarded is { } w ? Entry(w) : null,
        d.State,
    };
}
