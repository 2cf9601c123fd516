using System.Text.Json;
using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Core.Sheets;
using Ingest.Core.Text;
using Ingest.Documents.Exports;
using Ingest.Documents.Forms;
using Ingest.Host.Documents;
using Ingest.Host.People;
using Ingest.Host.Web;
using Ingest.Scoring.Sheets;
using static Ingest.Host.Scoring.ScoringApi;

namespace Ingest.Host.Scoring;

/// <summary>
/// One scoresheet: read, pre-fill, entries, 申报星级, its exports and forms, and the import of a filled 填报表. Every route
/// names its organisation; <see cref="SheetAccess"/> checks the caller's role and scope against it before the handler
/// runs, and hands the handler the column the caller writes.
/// </summary>
public static class ScoresheetEndpoints
{
    public static IEndpointRouteBuilder MapScoresheets(this IEndpointRouteBuilder app)
    {
        var sheets = app.MapGroup("/api/scoresheets/{cycle}/{org}").WithTags("Scoresheets");
        sheets.MapGet("/", GetAsync).ForSheet("org")
            .WithSummary("The scoresheet of a school (school:YEAR) or a county (county:YEAR); pre-filled on first read by someone who may write it.");
        sheets.MapPost("/", BuildAsync).ForSheet("org", write: true)
            .WithSummary("Pre-fills or re-scores the scoresheet from the current facts; every entry is kept.");
        sheets.MapPost("/entries", EnterAsync).ForSheet("org", write: true)
            .WithSummary("Enters a score, counts or a flag for one item in the caller's column, signed with the caller's name; overriding an auto score needs a reason.")
            .ProducesValidationProblem();
        sheets.MapPost("/confirmations", ConfirmOnSiteAsync).ForSheet("org", write: true)
            .ProducesValidationProblem()
            .WithSummary("Confirms pre-filled lines that wait for an on-site check (待现场确认) in the caller's column: ?target=21 for one, none for every such line. Each keeps its pre-filled score, signed with the caller's name.");
        sheets.MapPost("/reopen", ReopenAsync).Allow(OrgFrom.Route, "org", Roles.Department)
            .ProducesValidationProblem()
            .WithSummary("The department reopens one school's finalised sheet with a reason: {\"reason\": \"…\"}.");
        sheets.MapGet("/entries", EntriesAsync).ForSheet("org")
            .WithSummary("Every entry of the scoresheet, oldest first: who, when, the value, and the item's score before and after.");
        sheets.MapPut("/applied-stars", SetAppliedStarsAsync).ForSheet("org", write: true, roles: [Roles.School])
            .Accepts<AppliedStarsBody>("application/json")
            .ProducesValidationProblem()
            .WithSummary("Records the star level the school applies for (申报星级): {\"stars\": 4}; {\"stars\": null} withdraws the application.");

        sheets.MapGet("/lines.csv", LinesCsvAsync).ForSheet("org")
            .WithTags("Exports").WithSummary("Every line of the scoresheet in each column as CSV (UTF-8): status, score, and the figures behind auto scores.");
        sheets.MapGet("/lines.json", LinesJsonAsync).ForSheet("org")
            .WithTags("Exports").WithSummary("Every line of the scoresheet in each column as JSON.");
        sheets.MapGet("/form.xlsx", FormWorkbookAsync).ForSheet("org")
            .WithTags("Exports").WithSummary("The 星级认定表 of 附件2 as issued (A4, one page, merged cells), with every line on a second sheet.");
        sheets.MapGet("/form.pdf", FormPdfAsync).ForSheet("org")
            .WithTags("Exports").WithSummary("The 星级认定表 of 附件2 as a one-page PDF that prints as the workbook does.");
        sheets.MapGet("/fill.xlsx", FillFormAsync).ForSheet("org", write: true)
            .WithTags("Exports").WithSummary("The 填报表 of the caller's column: every item with its text, points, pre-filled score and evidence, and the cells to fill.");
        sheets.MapPost("/import", ImportAsync).ForSheet("org", write: true)
            .WithSummary("Imports a filled 填报表 of the caller's column (the workbook as the body; ?fileName=…): every row is checked and the file is recorded all or none.");
        return app;
    }

    private static Task<IResult> GetAsync(string cycle, string org, HttpContext http, ScoresheetService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.ReadAsync(HttpCaller.Of(http), org, c, ct)).Answer(sheet => Results.Ok(ScoresheetView.From(sheet))));

    private static Task<IResult> BuildAsync(string cycle, string org, HttpContext http, ScoresheetService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.BuildAsync(HttpCaller.Of(http), org, c, ct)).Answer(sheet => Results.Ok(ScoresheetView.From(sheet))));

    private static Task<IResult> EnterAsync(string cycle, string org, EntryBody body, HttpContext http, ScoresheetService service, CancellationToken ct) =>
        Handle(cycle, async c =>
        {
            Column? column;
            try
            {
                column = string.IsNullOrWhiteSpace(body.Column) ? null : RaterText.ParseColumn(body.Column);
            }
            catch (FormatException e)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["column"] = [e.Message] }, title: "录入未保存");
            }

            var value = new EntryValue(body.Score, body.Counts, body.Flag, body.Reason);
            if (body.Withdraw != value.IsWithdrawal)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["withdraw"] = [body.Withdraw ? "撤回录入时不能同时给出得分、次数或是否" : "请给出 score、counts 或 flag 之一；撤回录入请用 \"withdraw\": true 并填写理由"],
                }, title: "录入未保存");
            }

            return (await service.EnterAsync(HttpCaller.Of(http), org, c, body.Target, column, value, ct)).Answer(o => Results.Ok(ScoresheetView.From(o.Sheet)));
        });

    private static Task<IResult> ConfirmOnSiteAsync(string cycle, string org, string? target, HttpContext http, ScoresheetService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.ConfirmOnSiteAsync(HttpCaller.Of(http), org, c, string.IsNullOrWhiteSpace(target) ? null : target.Trim(), ct))
            .Answer(o => Results.Ok(ScoresheetView.From(o.Sheet))));

    private static Task<IResult> ReopenAsync(string cycle, string org, ReasonBody body, HttpContext http, ScoresheetService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.ReopenAsync(HttpCaller.Of(http), org, c, body.Reason, ct)).Answer(Results.Ok));

    private static Task<IResult> EntriesAsync(string cycle, string org, HttpContext http, ScoresheetService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.ReadAsync(HttpCaller.Of(http), org, c, ct)).Answer(sheet => Results.Ok(sheet.Entries.Select(EntryLogView.From))));

    private static Task<IResult> SetAppliedStarsAsync(string cycle, string org, JsonElement body, HttpContext http, ScoresheetService service, CancellationToken ct) =>
        Handle(cycle, async c =>
        {
            // Read by hand: a missing field must not clear the level, and "四" or 2.5 deserve a message, not a bare 400.
            if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("stars", out var stars))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["stars"] = ["请求须含 stars：2 到 5 的整数，撤销申报时为 null"] }, title: "申报星级未保存");
            }

            var typed = stars.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String => stars.GetString() is { Length: > 0 } text ? text : "\"\"",
                _ => stars.GetRawText(),
            };
            return (await service.SetAppliedStarsAsync(HttpCaller.Of(http), org, c, typed, ct)).Answer(sheet => Results.Ok(ScoresheetView.From(sheet)));
        });

    private static Task<IResult> LinesCsvAsync(string cycle, string org, HttpContext http, ScoresheetService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.ReadAsync(HttpCaller.Of(http), org, c, ct)).Answer(sheet => Lines([sheet], "csv", $"{org}-{sheet.OrgName}-{RaterText.CycleTitle(c)}-评分明细")));

    private static Task<IResult> LinesJsonAsync(string cycle, string org, HttpContext http, ScoresheetService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.ReadAsync(HttpCaller.Of(http), org, c, ct)).Answer(sheet => Lines([sheet], "json", $"{org}-{sheet.OrgName}-{RaterText.CycleTitle(c)}-评分明细")));

    private static Task<IResult> FormWorkbookAsync(string cycle, string org, HttpContext http, ScoresheetService service, CancellationToken ct) =>
        Handle(cycle, async c =>
        {
            var form = await service.SchoolFormAsync(HttpCaller.Of(http), org, c, ct);
            if (form.Refusal is { } refused)
            {
                return OutcomeResults.Problem(refused);
            }

            var view = ScoresheetView.From((await service.ReadAsync(HttpCaller.Of(http), org, c, ct)).Value);
            return Workbook(s => ScoresheetExports.WriteSchoolForm(s, form.Value, view), $"{org}-{form.Value.SchoolName}-{c.Year}年度-星级认定表.xlsx");
        });

    private static Task<IResult> FormPdfAsync(string cycle, string org, HttpContext http, ScoresheetService service, PdfPrinter printer, CancellationToken ct) =>
        Handle(cycle, async c =>
        {
            var form = await service.SchoolFormAsync(HttpCaller.Of(http), org, c, ct);
            if (form.Refusal is { } refused)
            {
                return OutcomeResults.Problem(refused);
            }

            var pdf = await printer.PrintAsync(SchoolFormHtml.Render(form.Value), ct);
            return Results.File(pdf, "application/pdf", FileNames.Safe($"{org}-{form.Value.SchoolName}-{c.Year}年度-星级认定表.pdf"));
        });

    private static Task<IResult> FillFormAsync(string cycle, string org, string? column, HttpContext http, ScoresheetService service, CancellationToken ct) =>
        Handle(cycle, async c =>
        {
            if (http.RefuseOtherColumn(column) is { } refused)
            {
                return refused;
            }

            var col = http.Permit().Write!.Value;
            return (await service.ReadAsync(HttpCaller.Of(http), org, c, ct)).Answer(sheet => Workbook(s => FillForm.Write(s, sheet, col), FillForm.FileName(sheet, col)));
        });

    private static Task<IResult> ImportAsync(string cycle, string org, string? fileName, HttpContext http, ScoresheetService service, CancellationToken ct) =>
        Handle(cycle, async c =>
        {
            var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, ct);
            buffer.Position = 0;
            var outcome = await service.ImportAsync(HttpCaller.Of(http), buffer, fileName ?? "填报表.xlsx", (org, c), ct);
            return outcome.Answer(o => Results.Ok(new ImportResultView(o.Logged, o.Unchanged, ScoresheetView.From(o.Sheet))));
        });
}
