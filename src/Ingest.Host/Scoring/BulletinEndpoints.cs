using Ingest.Application.Bulletins;
using Ingest.Application.People;
using Ingest.Documents.Bulletins;
using Ingest.Host.People;
using Ingest.Host.Web;
using static Ingest.Host.Scoring.ScoringApi;

namespace Ingest.Host.Scoring;

/// <summary>The county bulletin (通报) over HTTP: the draft, what the author fills in, and the Word files.</summary>
public static class BulletinEndpoints
{
    private const string Word = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public static IEndpointRouteBuilder MapBulletins(this IEndpointRouteBuilder app)
    {
        var bulletin = app.MapGroup("/api/bulletins/{cycle}/{county}").WithTags("Remediation");
        bulletin.MapGet("/", DraftAsync).Allow(OrgFrom.Route, "county", Roles.Department, Roles.Bureau, Roles.Auditor)
            .WithSummary("The county's bulletin as drafted from the bureau's column, the gap plans, the data and the 整改 items: its paragraphs (each hole 【待填：…】 until filled), its holes, the annex of figures, and how many sheets it rests on and how many are 备案.");
        bulletin.MapPut("/inputs", WriteAsync).Allow(OrgFrom.Route, "county", Roles.Department, Roles.Bureau)
            .ProducesValidationProblem()
            .WithSummary("Fills holes: {\"dates\":\"8月28日至9月1日\",\"praise:2164240001\":\"…\"}; an empty value clears one.");
        bulletin.MapGet("/draft.docx", DraftWordAsync).Allow(OrgFrom.Route, "county", Roles.Department, Roles.Bureau, Roles.Auditor)
            .WithSummary("The draft as a Word document, each hole still waiting marked 【待填：…】 in yellow.");
        bulletin.MapGet("/final.docx", FinalWordAsync).Allow(OrgFrom.Route, "county", Roles.Department, Roles.Bureau, Roles.Auditor)
            .WithSummary("The bulletin to send out as a Word document; 409 naming each hole while one waits.");
        return app;
    }

    private static Task<IResult> DraftAsync(string cycle, string county, HttpContext http, BulletinService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.DraftAsync(HttpCaller.Of(http), county, c, ct)).Answer(v => Results.Ok(View(v))));

    private static Task<IResult> WriteAsync(string cycle, string county, Dictionary<string, string?> body, HttpContext http, BulletinService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.WriteAsync(HttpCaller.Of(http), county, c, body, ct)).Answer(v => Results.Ok(View(v))));

    private static Task<IResult> DraftWordAsync(string cycle, string county, HttpContext http, BulletinService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.DraftAsync(HttpCaller.Of(http), county, c, ct)).Answer(v =>
            Results.File(BulletinDocx.Write(v.Draft), Word, Ingest.Core.Text.FileNames.Safe($"{v.CountyName}{c.Year}年智慧校园星级评定督导评估通报（草稿）.docx"))));

    private static Task<IResult> FinalWordAsync(string cycle, string county, HttpContext http, BulletinService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.FinalAsync(HttpCaller.Of(http), county, c, ct)).Answer(v =>
            Results.File(BulletinDocx.Write(v.Draft), Word, Ingest.Core.Text.FileNames.Safe($"{v.CountyName}{c.Year}年智慧校园星级评定督导评估通报.docx"))));

    private static object View(BulletinView v) => new
    {
        county = v.CountyName, cycle = v.Cycle.ToString(), sheets = v.Sheets, finalised = v.Finalised,
        paragraphs = v.Draft.Paragraphs.Select(p => new { style = p.Style.ToString().ToLowerInvariant(), text = p.Text }),
        holes = v.Draft.Holes.Select(h => new { h.Key, h.Prompt, h.Value }),
        waiting = v.Draft.Waiting.Count,
        annex = v.Draft.Annex.Select(f => new { school = f.SchoolName, f.Indicator, indicatorName = f.IndicatorName, f.Period, f.Value, run = f.RunId, fetchedAt = f.FetchedAt }),
    };
}
