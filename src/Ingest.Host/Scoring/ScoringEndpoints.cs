using System.Globalization;
using System.Text.Json;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Core.Text;
using Ingest.Data.Audit;
using Ingest.Data.Organisations;
using Ingest.Data.Scoresheets;
using Ingest.Host.People;
using Ingest.Host.Scoring;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;
using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Documents.Exports;
using Ingest.Documents.Forms;
using Ingest.Host.Documents;
using Ingest.Host.Web;

namespace Ingest.Host.Scoring;

/// <summary>
/// Body of an entry: one of a score, counts or a flag, in a column, by someone; a reason to change an auto score. With
/// <paramref name="Withdraw"/> and a reason instead, the column's entry for the target is withdrawn: the line goes back to
/// its pre-filled score or to waiting.
/// </summary>
/// <param name="Target">Item number, or <c>item/part</c> (e.g. <c>16/library</c>).</param>
/// <param name="Column">Optional: the column follows from the caller's role (学校 → self, 教育局 → bureau, 教育厅 → department);
/// naming another column is refused with 403.</param>
/// <param name="By">Ignored: an entry is signed with the signed-in display name. Kept so that older clients still parse.</param>
public sealed record EntryBody(string Target, string? Column, decimal? Score, IReadOnlyDictionary<string, int>? Counts, bool? Flag, string? Reason, string? By = null,
    bool Withdraw = false);

/// <summary>Body of <c>PUT …/applied-stars</c>: the level applied for (申报星级), 1 to 5, or null to withdraw the application.</summary>
public sealed record AppliedStarsBody(int? Stars);

/// <summary>Body of <c>PUT /api/organisations/{org}/contact</c>: 联系人, 联系方式 (blank clears one). <paramref name="By"/> is ignored: the
/// signed-in display name signs the change.</summary>
public sealed record ContactBody(string? Person, string? Phone, string? By = null);

/// <summary>What an import did: entries logged (values and withdrawals), rows that already held their value, and the sheet after.</summary>
public sealed record ImportResultView(int Logged, int Unchanged, ScoresheetView Sheet);

public static class ScoringEndpoints
{
    public static IEndpointRouteBuilder MapScoringApi(this IEndpointRouteBuilder app)
    {
        // The rubrics are the published standards: every role reads them.
        var rubrics = app.MapGroup("/api/rubrics").WithTags("Rubrics").Allow([.. Roles.All]);
        rubrics.MapGet("/", () => RubricLibrary.All.Select(r => new { r.Id, Kind = r.Kind.ToString().ToLowerInvariant(), r.Title, r.Source, r.Total, Items = r.Items.Count }))
            .WithSummary("The rubrics shipped with the service.");
        rubrics.MapGet("/{id}", (string id) => RubricLibrary.All.FirstOrDefault(r => r.Id == id) is { } r
                ? Results.Ok(RubricView.From(r))
                : Results.Problem($"No rubric '{id}'.", statusCode: StatusCodes.Status404NotFound))
            .WithSummary("A rubric in full: areas, groups, items with their text, points, ★ flag and scoring rule.");

        // Every route below names its organisation (org, or county); SheetAccess checks the caller's role and scope against
        // it before the handler runs, and hands the handler the column the caller writes.
        var sheets = app.MapGroup("/api/scoresheets/{cycle}/{org}").WithTags("Scoresheets");
        sheets.MapGet("/", (string cycle, string org, HttpContext http, ScoresheetService service, CancellationToken ct) =>
                Handle(cycle, async c => Results.Ok(ScoresheetView.From(await service.GetAsync(org, c, http.Opener(), ct)))))
            .ForSheet("org")
            .WithSummary("The scoresheet of a school (school:YEAR) or a county (county:YEAR); pre-filled on first read by someone who may write it.");
        sheets.MapPost("/", (string cycle, string org, HttpContext http, ScoresheetService service, CancellationToken ct) =>
                Handle(cycle, async c => Results.Ok(ScoresheetView.From(await service.BuildAsync(org, c, HttpCaller.Of(http).Actor, ct)))))
            .ForSheet("org", write: true)
            .WithSummary("Pre-fills or re-scores the scoresheet from the current facts; every entry is kept.");
        sheets.MapPost("/entries", (string cycle, string org, EntryBody body, HttpContext http, ScoresheetService service, CancellationToken ct) =>
                Handle(cycle, async c =>
                {
                    if (http.RefuseOtherColumn(body.Column) is { } refused)
                    {
                        return refused;
                    }

                    var column = http.Permit().Write!.Value;

                    var value = new EntryValue(body.Score, body.Counts, body.Flag, body.Reason);
                    if (body.Withdraw != value.IsWithdrawal)
                    {
                        return Results.ValidationProblem(new Dictionary<string, string[]>
                        {
                            ["withdraw"] = [body.Withdraw ? "撤回录入时不能同时给出得分、次数或是否" : "请给出 score、counts 或 flag 之一；撤回录入请用 \"withdraw\": true 并填写理由"],
                        });
                    }

                    var outcome = await service.EnterAsync(org, c, body.Target, column, value, HttpCaller.Of(http).Actor, ct);
                    return Results.Ok(ScoresheetView.From(outcome.Sheet));
                }))
            .ForSheet("org", write: true)
            .WithSummary("Enters a score, counts or a flag for one item in the caller's column, signed with the caller's name; overriding an auto score needs a reason.")
            .ProducesValidationProblem();
        sheets.MapGet("/entries", (string cycle, string org, HttpContext http, ScoresheetService service, CancellationToken ct) =>
                Handle(cycle, async c => Results.Ok((await service.GetAsync(org, c, http.Opener(), ct)).Entries.Select(EntryLogView.From))))
            .ForSheet("org")
            .WithSummary("Every entry of the scoresheet, oldest first: who, when, the value, and the item's score before and after.");
        sheets.MapPut("/applied-stars", (string cycle, string org, JsonElement body, HttpContext http, ScoresheetService service, CancellationToken ct) =>
                Handle(cycle, async c =>
                {
                    if (http.Permit().Write != Column.Self)
                    {
                        return Problems.Forbidden("申报星级由学校自己填写");
                    }

                    // Read by hand: a missing field must not clear the level, and "四" or 2.5 deserve a message, not a bare 400.
                    if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("stars", out var stars))
                    {
                        return Results.ValidationProblem(new Dictionary<string, string[]> { ["stars"] = ["请求须含 stars：1 到 5 的整数，撤销申报时为 null"] });
                    }

                    int? level = stars.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.Number when stars.TryGetInt32(out var n) && AppliedStars.Accepts(n) => n,
                        _ => -1,
                    };
                    if (level == -1)
                    {
                        var shown = stars.ValueKind == JsonValueKind.String ? stars.GetString() : stars.GetRawText();
                        return Results.ValidationProblem(new Dictionary<string, string[]> { ["stars"] = [$"申报星级“{shown}”无法识别：应为 1 到 5 的整数，撤销申报时为 null"] });
                    }

                    return Results.Ok(ScoresheetView.From(await service.SetAppliedStarsAsync(org, c, level, HttpCaller.Of(http).Actor, ct)));
                }))
            .ForSheet("org", write: true, roles: [Roles.School])
            .Accepts<AppliedStarsBody>("application/json")
            .ProducesValidationProblem()
            .WithSummary("Records the star level the school applies for (申报星级): {\"stars\": 4}; {\"stars\": null} withdraws the application.");

        sheets.MapGet("/lines.csv", (string cycle, string org, HttpContext http, ScoresheetService service, CancellationToken ct) =>
                Handle(cycle, async c => Lines([await service.GetAsync(org, c, http.Opener(), ct)], "csv", $"{org}-{c.Rubric}-{c.Year}")))
            .ForSheet("org")
            .WithTags("Exports").WithSummary("Every line of the scoresheet in each column as CSV (UTF-8): status, score, and the figures behind auto scores.");
        sheets.MapGet("/lines.json", (string cycle, string org, HttpContext http, ScoresheetService service, CancellationToken ct) =>
                Handle(cycle, async c => Lines([await service.GetAsync(org, c, http.Opener(), ct)], "json", $"{org}-{c.Rubric}-{c.Year}")))
            .ForSheet("org")
            .WithTags("Exports").WithSummary("Every line of the scoresheet in each column as JSON.");
        sheets.MapGet("/form.xlsx", (string cycle, string org, HttpContext http, ScoresheetService service, CancellationToken ct) =>
                Handle(cycle, async c =>
                {
                    var form = await service.SchoolFormAsync(org, c, http.Opener(), ct);
                    var view = ScoresheetView.From(await service.GetAsync(org, c, opener: null, ct));
                    return Workbook(s => ScoresheetExports.WriteSchoolForm(s, form, view), $"{org}-{form.SchoolName}-{c.Year}年度-星级认定表.xlsx");
                }))
            .ForSheet("org")
            .WithTags("Exports").WithSummary("The 星级认定表 of 附件2 as issued (A4, one page, merged cells), with every line on a second sheet.");
        sheets.MapGet("/form.pdf", (string cycle, string org, HttpContext http, ScoresheetService service, PdfPrinter printer, CancellationToken ct) =>
                Handle(cycle, async c =>
                {
                    var form = await service.SchoolFormAsync(org, c, http.Opener(), ct);
                    var pdf = await printer.PrintAsync(SchoolFormHtml.Render(form), ct);
                    return Results.File(pdf, "application/pdf", FileNames.Safe($"{org}-{form.SchoolName}-{c.Year}年度-星级认定表.pdf"));
                }))
            .ForSheet("org")
            .WithTags("Exports").WithSummary("The 星级认定表 of 附件2 as a one-page PDF that prints as the workbook does.");

        sheets.MapGet("/fill.xlsx", (string cycle, string org, string? column, HttpContext http, ScoresheetService service, CancellationToken ct) =>
                Handle(cycle, async c =>
                {
                    if (http.RefuseOtherColumn(column) is { } refused)
                    {
                        return refused;
                    }

                    var col = http.Permit().Write!.Value;
                    var sheet = await service.GetOrBuildAsync(org, c, HttpCaller.Of(http).Actor, ct);
                    return Workbook(s => FillForm.Write(s, sheet, col), FillForm.FileName(sheet, col));
                }))
            .ForSheet("org", write: true)
            .WithTags("Exports").WithSummary("The 填报表 of the caller's column: every item with its text, points, pre-filled score and evidence, and the cells to fill.");
        sheets.MapPost("/import", (string cycle, string org, string? fileName, HttpContext http, ScoresheetService service, CancellationToken ct) =>
                Handle(cycle, async c =>
                {
                    var buffer = new MemoryStream();
                    await http.Request.Body.CopyToAsync(buffer, ct);
                    buffer.Position = 0;
                    try
                    {
                        var outcome = await service.ImportAsync(buffer, fileName ?? "填报表.xlsx", HttpCaller.Of(http).Actor, (org, c), http.Permit().Write, ct);
                        return Results.Ok(new ImportResultView(outcome.Logged, outcome.Unchanged, ScoresheetView.From(outcome.Sheet)));
                    }
                    catch (FormImportException e)
                    {
                        return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "填报表未导入",
                            extensions: new Dictionary<string, object?> { ["file"] = e.File, ["errors"] = e.Errors });
                    }
                }))
            .ForSheet("org", write: true)
            .WithSummary("Imports a filled 填报表 of the caller's column (the workbook as the body; ?fileName=…): every row is checked and the file is recorded all or none.");

        var county = app.MapGroup("/api/counties/{county}/scoresheets/{cycle}").WithTags("Scoresheets");
        county.MapGet("/fill.zip", (string county, string cycle, string? column, HttpContext http, ScoresheetService service, CancellationToken ct) =>
                Handle(cycle, async c =>
                {
                    if (http.RefuseOtherColumn(column) is { } refused)
                    {
                        return refused;
                    }

                    var col = http.Permit().Write!.Value;

                    var (name, loaded) = await service.LoadCountyAsync(county, c, ct);
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
                }))
            .ForSheet("county", write: true)
            .WithTags("Exports").WithSummary("One 填报表 per scoresheet of the county for the caller's column, in a zip.");
        county.MapGet("/lines.csv", (string county, string cycle, ScoresheetService service, CancellationToken ct) =>
                Handle(cycle, async c => Lines((await service.LoadCountyAsync(county, c, ct)).Sheets, "csv", $"{county}-{c.Rubric}-{c.Year}")))
            .ForSheet("county")
            .WithTags("Exports").WithSummary("Every line of every scoresheet of the county in the cycle as CSV.");
        county.MapGet("/lines.json", (string county, string cycle, ScoresheetService service, CancellationToken ct) =>
                Handle(cycle, async c => Lines((await service.LoadCountyAsync(county, c, ct)).Sheets, "json", $"{county}-{c.Rubric}-{c.Year}")))
            .ForSheet("county")
            .WithTags("Exports").WithSummary("Every line of every scoresheet of the county in the cycle as JSON.");
        county.MapGet("/summary.xlsx", (string county, string cycle, ScoresheetService service, CancellationToken ct) =>
                Handle(cycle, async c =>
                {
                    var (name, loaded) = await service.LoadCountyAsync(county, c, ct);
                    var views = loaded.Select(ScoresheetView.From).ToArray();
                    return Workbook(s => ScoresheetExports.WriteCountySummary(s, name, c.ToString(), views), $"{county}-星级评定-{c.Year}.xlsx");
                }))
            .ForSheet("county")
            .WithTags("Exports").WithSummary("The county's schools grouped by the star level the bureau gives, with their scores, as an Excel workbook.");
        county.MapGet("/", (string county, string cycle, ScoresheetStore store, CancellationToken ct) =>
                Handle(cycle, async c => Results.Ok(await store.ListAsync(c, county, ct))))
            .ForSheet("county")
            .WithSummary("The county's scoresheets of a cycle with each column's total, star level and what still waits.");
        county.MapPost("/", (string county, string cycle, HttpContext http, ScoresheetService service, CancellationToken ct) =>
                Handle(cycle, async c => Results.Ok(await service.BuildCountyAsync(county, c, HttpCaller.Of(http).Actor, ct))))
            .ForSheet("county", write: true)
            .WithSummary("Pre-fills the scoresheets of every active school of the county (school cycle) or of the county (county cycle).");
        var region = app.MapGroup("/api/region/scoresheets/{cycle}").WithTags("Scoresheets");
        region.MapGet("/", (string cycle, ScoresheetStore store, CancellationToken ct) =>
                Handle(cycle, async c => Results.Ok(await store.ListAsync(c, null, ct))))
            .ForRegionSheets()
            .WithSummary("Every scoresheet of a cycle in the region with each column's total, star level and what still waits.");
        region.MapPost("/", (string cycle, HttpContext http, ScoresheetService service, CancellationToken ct) =>
                Handle(cycle, async c => Results.Ok(await service.BuildRegionAsync(c, HttpCaller.Of(http).Actor, ct))))
            .ForRegionSheets(write: true)
            .WithSummary("Pre-fills or re-scores, set-based, the scoresheets of every active school of the region (school cycle) or of every county (county cycle); answers what was written.");
        var contact = app.MapGroup("/api/organisations/{org}/contact").WithTags("Scoresheets");
        contact.MapGet("/", async (string org, OrganisationContactStore store, CancellationToken ct) =>
                await store.FindAsync(org, ct) is { } c ? Results.Ok(c) : Results.Problem($"{org} 尚未设置联系人", statusCode: StatusCodes.Status404NotFound))
            .ForSheet("org")
            .WithSummary("联系人 and 联系方式 of a school or county, as its 星级认定表 prints them.");
        contact.MapPut("/", async (string org, ContactBody body, HttpContext http, ScoresheetService service, CancellationToken ct) =>
            {
                try
                {
                    return Results.Ok(await service.SetContactAsync(org, body.Person, body.Phone, HttpCaller.Of(http).Actor, ct));
                }
                catch (ScoresheetException e)
                {
                    return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "联系人未保存");
                }
            })
            .ForSheet("org", write: true)
            .WithSummary("Sets 联系人 and 联系方式 of a school or county: {\"person\":\"马老师\",\"phone\":\"0954-1234567\"}, signed with the caller's name.");
        app.MapGet("/api/reports/{cycle}/programme", (string cycle, string? county, HttpContext http, AccessRules rules, ProgrammeReportService service,
                CancellationToken ct) =>
                Handle(cycle, async c =>
                {
                    // A bureau or a county's auditor reads its own county; naming another is refused.
                    var (scope, refusal) = await rules.ProgrammeScopeAsync(HttpCaller.Of(http), county, ct);
                    if (refusal is not null)
                    {
                        return Problems.Forbidden(refusal);
                    }

                    return c.Rubric != RubricKind.School
                        ? Results.ValidationProblem(new Dictionary<string, string[]> { ["cycle"] = [$"项目规则针对学校星级；{c} 不是学校评定周期（school:年度）"] })
                        : Results.Ok(await service.BuildAsync(c, scope, ct));
                }))
            .Allow(OrgFrom.Query, "county", Roles.Department, Roles.Bureau, Roles.Auditor)
            .WithTags("Reports")
            .WithSummary("The programme rules of a school star year, per county: 3-star schools against 30% of the cultivation schools, the 4-star pass rate, and schools flagged for demotion after three years without moving up.");
        return app;
    }

    /// <summary>An answer that says when to ask again (Retry-After, in seconds).</summary>
    private sealed class RetryLater(IResult answer, TimeSpan after) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return answer.ExecuteAsync(httpContext);
        }
    }

    private static IResult Lines(IEnumerable<Scoresheet> sheets, string format, string name)
    {
        var lines = ScoresheetExports.Lines(sheets.Select(ScoresheetView.From));
        return format == "csv"
            ? Results.Stream(s => ScoresheetExports.WriteCsvAsync(s, lines, CancellationToken.None), "text/csv; charset=utf-8", FileNames.Safe(name + ".csv"))
            : Results.Stream(s => ScoresheetExports.WriteJsonAsync(s, lines, CancellationToken.None), "application/json", FileNames.Safe(name + ".json"));
    }

    private static IResult Workbook(Action<Stream> write, string fileName)
    {
        var buffer = new MemoryStream();
        write(buffer);
        return Results.File(buffer.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", FileNames.Safe(fileName));
    }

    private static async Task<IResult> Handle(string cycleText, Func<EvaluationCycle, Task<IResult>> action)
    {
        EvaluationCycle cycle;
        try
        {
            cycle = EvaluationCycle.Parse(cycleText);
        }
        catch (FormatException e)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["cycle"] = [e.Message] });
        }

        try
        {
            return await action(cycle);
        }
        catch (ScoresheetNotFoundException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "评分表尚未预填");
        }
        catch (ColumnRefusedException e)
        {
            return Problems.Forbidden(e.Message);
        }
        catch (PrinterBusyException e)
        {
            return new RetryLater(Results.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "稍后再试"), e.RetryAfter);
        }
        catch (ScoresheetException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "评分表请求无法执行");
        }
    }
}

/// <summary>A rubric for the API, rules flattened to their kind and parameters.</summary>
public sealed record RubricView(string Id, string Kind, string Title, string Source, decimal Total, IReadOnlyList<StarLevel> StarLevels, int? VetoFromStars,
    IReadOnlyList<RubricAreaView> Areas, string? Note)
{
    public static RubricView From(Rubric rubric)
    {
        ArgumentNullException.ThrowIfNull(rubric);
        return new RubricView(rubric.Id, rubric.Kind.ToString().ToLowerInvariant(), rubric.Title, rubric.Source, rubric.Total, rubric.StarLevels,
            rubric.VetoFromStars,
            rubric.Areas.Select(a => new RubricAreaView(a.Code, a.Name, a.Points, a.Bonus,
                a.Items.Select(i => new RubricItemView(i.Number, i.Group, i.Text, i.Points, i.Veto, i.Rule.Kind, (object)i.Rule)).ToArray())).ToArray(),
            rubric.Note);
    }
}

public sealed record RubricAreaView(string Code, string Name, decimal Points, bool Bonus, IReadOnlyList<RubricItemView> Items);

/// <param name="Rule">The rule with its parameters (serialised as its runtime type).</param>
public sealed record RubricItemView(string Number, string? Group, string Text, decimal Points, bool Veto, string Kind, object Rule);
