using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Core.Text;
using Ingest.Data.Scoresheets;
using Ingest.Documents.Exports;
using Ingest.Documents.Forms;
using Ingest.Host.People;
using Ingest.Host.Web;
using Ingest.Scoring.Sheets;
using static Ingest.Host.Scoring.ScoringApi;

namespace Ingest.Host.Scoring;

/// <summary>A reason, as a request gives it: {"reason": "…"}.</summary>
public sealed record ReasonBody(string? Reason);

/// <summary>The scoresheets of a county and of the region: their list, pre-filling them together, and the county's exports.</summary>
public static class CountyScoresheetEndpoints
{
    public static IEndpointRouteBuilder MapCountyScoresheets(this IEndpointRouteBuilder app)
    {
        var county = app.MapGroup("/api/counties/{county}/scoresheets/{cycle}").WithTags("Scoresheets");
        county.MapGet("/fill.zip", FillFormsAsync).ForSheet("county", write: true)
            .WithTags("Exports").WithSummary("One 填报表 per scoresheet of the county for the caller's column, in a zip.");
        county.MapGet("/lines.csv", LinesCsvAsync).ForSheet("county")
            .WithTags("Exports").WithSummary("Every line of every scoresheet of the county in the cycle as CSV.");
        county.MapGet("/lines.json", LinesJsonAsync).ForSheet("county")
            .WithTags("Exports").WithSummary("Every line of every scoresheet of the county in the cycle as JSON.");
        county.MapGet("/summary.xlsx", SummaryAsync).ForSheet("county")
            .WithTags("Exports").WithSummary("The county's schools grouped by the star level the bureau gives, with their scores, as an Excel workbook.");
        county.MapGet("/", ListCountyAsync).ForSheet("county")
            .WithSummary("The county's scoresheets of a cycle with each column's total, star level and what still waits.");
        county.MapPost("/", BuildCountyAsync).ForSheet("county", write: true)
            .WithSummary("Pre-fills the scoresheets of every active school of the county (school cycle) or of the county (county cycle).");

        county.MapPost("/finalise", FinaliseAsync).Allow(OrgFrom.Route, "county", Roles.Bureau)
            .ProducesValidationProblem()
            .WithSummary("备案: the bureau finalises its county's school sheets of the cycle once its column is complete in every one; each is frozen as it stands (no re-scoring, no entry to 学校自评 or 教育局评定: 409).");
        county.MapPost("/reopen", ReopenCountyAsync).Allow(OrgFrom.Route, "county", Roles.Department)
            .ProducesValidationProblem()
            .WithSummary("The department reopens a finalised county with a reason: {\"reason\": \"…\"}.");

        var region = app.MapGroup("/api/region/scoresheets/{cycle}").WithTags("Scoresheets");
        region.MapGet("/", ListRegionAsync).ForRegionSheets()
            .WithSummary("Every scoresheet of a cycle in the region with each column's total, star level and what still waits.");
        region.MapPost("/", BuildRegionAsync).ForRegionSheets(write: true)
            .WithSummary("Pre-fills or re-scores, set-based, the scoresheets of every active school of the region (school cycle) or of every county (county cycle); answers what was written.");
        return app;
    }

    private static Task<IResult> FinaliseAsync(string county, string cycle, HttpContext http, ScoresheetService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.FinaliseCountyAsync(HttpCaller.Of(http), county, c, ct)).Answer(Results.Ok));

    private static Task<IResult> ReopenCountyAsync(string county, string cycle, ReasonBody body, HttpContext http, ScoresheetService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.ReopenAsync(HttpCaller.Of(http), county, c, body.Reason, ct)).Answer(Results.Ok));

    private static Task<IResult> FillFormsAsync(string county, string cycle, string? column, HttpContext http, ScoresheetService service, CancellationToken ct) =>
        Handle(cycle, async c =>
        {
            if (http.RefuseOtherColumn(column) is { } refused)
            {
                return refused;
            }

            var col = http.Permit().Write!.Value;
            var sheets = await service.CountyAsync(HttpCaller.Of(http), county, c, ct);
            if (sheets.Refusal is { } refusal)
            {
                return OutcomeResults.Problem(refusal);
            }

            var (_, name, loaded) = sheets.Value;
            var buffer = new MemoryStream();
            using (var zip = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var sheet in loaded)
                {
                    // A workbook is written to a seekable stream (the Open XML package reads back its parts); a zip
                    // entry is write-only, so each workbook is made in memory first.
                    using var workbook = new MemoryStream();
                    FillForm.Write(workbook, sheet, col);
                    workbook.Position = 0;
                    await using var entry = zip.CreateEntry(FillForm.FileName(sheet, col)).Open();
                    await workbook.CopyToAsync(entry, ct);
                }
            }

            return Results.File(buffer.ToArray(), "application/zip", FileNames.Safe($"{county}-{name}-{c.Year}年度-{RaterText.ColumnTitle(col)}填报表.zip"));
        });

    private static Task<IResult> LinesCsvAsync(string county, string cycle, HttpContext http, ScoresheetService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.CountyAsync(HttpCaller.Of(http), county, c, ct)).Answer(s => Lines(s.Sheets, "csv", $"{county}-{s.CountyName}-{RaterText.CycleTitle(c)}-评分明细")));

    private static Task<IResult> LinesJsonAsync(string county, string cycle, HttpContext http, ScoresheetService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.CountyAsync(HttpCaller.Of(http), county, c, ct)).Answer(s => Lines(s.Sheets, "json", $"{county}-{s.CountyName}-{RaterText.CycleTitle(c)}-评分明细")));

    private static Task<IResult> SummaryAsync(string county, string cycle, HttpContext http, ScoresheetService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.CountyAsync(HttpCaller.Of(http), county, c, ct)).Answer(s =>
        {
            var views = s.Sheets.Select(ScoresheetView.From).ToArray();
            return Workbook(w => ScoresheetExports.WriteCountySummary(w, s.CountyName, c.ToString(), views), $"{county}-星级评定-{c.Year}.xlsx");
        }));

    private static Task<IResult> ListCountyAsync(string county, string cycle, ScoresheetReader store, CancellationToken ct) =>
        Handle(cycle, async c => Results.Ok(await store.ListAsync(c, county, ct)));

    private static Task<IResult> BuildCountyAsync(string county, string cycle, HttpContext http, ScoresheetService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.BuildCountyAsync(HttpCaller.Of(http), county, c, ct)).Answer(Results.Ok));

    private static Task<IResult> ListRegionAsync(string cycle, ScoresheetReader store, CancellationToken ct) =>
        Handle(cycle, async c => Results.Ok(await store.ListAsync(c, null, ct)));

    private static Task<IResult> BuildRegionAsync(string cycle, HttpContext http, ScoresheetService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.BuildRegionAsync(HttpCaller.Of(http), c, ct)).Answer(Results.Ok));
}
