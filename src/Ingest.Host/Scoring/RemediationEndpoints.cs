using Ingest.Application.People;
using Ingest.Application.Remediation;
using Ingest.Core.Remediation;
using Ingest.Host.Documents;
using Ingest.Host.People;
using Ingest.Host.Web;
using Ingest.Scoring.Remediation;
using Ingest.Scoring.Rubrics;
using Microsoft.Net.Http.Headers;
using static Ingest.Host.Scoring.ScoringApi;

namespace Ingest.Host.Scoring;

/// <summary>整改 over HTTP: a school's gap plan and items, setting, answering and verifying items, a county's list and workbook.</summary>
public static class RemediationEndpoints
{
    public static IEndpointRouteBuilder MapRemediation(this IEndpointRouteBuilder app)
    {
        var school = app.MapGroup("/api/remediation/{cycle}/schools/{org}").WithTags("Remediation");
        school.MapGet("/", SchoolAsync).ForSheet("org")
            .WithSummary("A school's gap plan on the bureau's column (target level, points missing, ★ items unmet, each line below full points with what it would recover and the data's figure, lines that wait apart) and its 整改 items.");
        school.MapPost("/items", CreateAsync)
            .Allow(OrgFrom.Route, "org", Roles.Bureau)
            .ProducesValidationProblem()
            .WithSummary("The bureau sets a line to be fixed: {\"target\":\"30\",\"deadline\":\"2026-12-31\",\"problem\":\"…\"} (the problem defaults to the plan's words).");
        school.MapPost("/items/{id:long}/submit", SubmitAsync)
            .Allow(OrgFrom.Route, "org", Roles.School)
            .ProducesValidationProblem()
            .WithSummary("The school answers an item (待整改 or 退回): {\"note\":\"…\"}.");
        school.MapPost("/items/{id:long}/submit/file", SubmitFileAsync)
            .Allow(OrgFrom.Route, "org", Roles.School)
            .ProducesValidationProblem()
            .WithSummary("The school answers an item with a file (the body; PDF, picture, .docx or .xlsx): ?fileName=…&note=….");
        school.MapPost("/items/{id:long}/verify", VerifyAsync)
            .Allow(OrgFrom.Route, "org", Roles.Bureau)
            .ProducesValidationProblem()
            .WithSummary("The bureau closes a submitted item ({\"accept\":true}) or sends it back ({\"accept\":false,\"note\":\"…\"}, the note required).");
        school.MapGet("/items/{id:long}/file", FileAsync).ForSheet("org")
            .WithSummary("The file the school attached to its answer.");

        var county = app.MapGroup("/api/remediation/{cycle}/counties/{county}").WithTags("Remediation");
        county.MapGet("/", CountyAsync).Allow(OrgFrom.Route, "county", Roles.Department, Roles.Bureau, Roles.Auditor)
            .WithSummary("A county's 整改 items by deadline, with those overdue (past the deadline, not submitted or sent back) listed apart.");
        county.MapGet("/items.xlsx", WorkbookAsync).Allow(OrgFrom.Route, "county", Roles.Department, Roles.Bureau, Roles.Auditor)
            .WithSummary("The county's 整改 items as one workbook: every item (overdue first), the overdue ones, and what the columns mean.");
        return app;
    }

    private static Task<IResult> SchoolAsync(string cycle, string org, HttpContext http, RemediationService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.SchoolAsync(HttpCaller.Of(http), org, c, ct)).Answer(s => Results.Ok(new
        {
            school = s.OrgName, plan = s.Plan is { } p ? Plan(p) : null, planProblem = s.PlanProblem, items = s.Items.Select(i => Item(i, s.Today)),
        })));

    private static Task<IResult> CreateAsync(string cycle, string org, CreateBody body, HttpContext http, RemediationService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.CreateAsync(HttpCaller.Of(http), org, c, body.Target, body.Problem, body.Deadline, ct))
            .Answer(i => Results.Ok(Item(i, service.Today))));

    private static Task<IResult> SubmitAsync(string cycle, string org, long id, SubmitBody body, HttpContext http, RemediationService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.SubmitAsync(HttpCaller.Of(http), org, c, id, body.Note, null, null, ct)).Answer(i => Results.Ok(Item(i, service.Today))));

    private static async Task<IResult> SubmitFileAsync(string cycle, string org, long id, string? fileName, string? note, HttpContext http, RemediationService service,
        IConfiguration configuration, CancellationToken ct)
    {
        var limit = configuration.GetValue(Ingest.Application.Evidence.EvidenceFileOptions.Section + ":MaxFileBytes", new Ingest.Application.Evidence.EvidenceFileOptions().MaxFileBytes);
        var bytes = await EvidenceFileEndpoints.ReadBoundedAsync(http.Request.Body, limit, ct);
        if (bytes is null)
        {
            return OutcomeResults.Problem(Ingest.Application.UseCases.Refusal.Invalid("整改未提交", "file",
                $"{fileName}：超过每个文件 {Ingest.Core.Evidence.EvidenceFile.SizeText(limit)} 的上限"));
        }

        return await Handle(cycle, async c => (await service.SubmitAsync(HttpCaller.Of(http), org, c, id, note, bytes, fileName, ct)).Answer(i => Results.Ok(Item(i, service.Today))));
    }

    private static Task<IResult> VerifyAsync(string cycle, string org, long id, VerifyBody body, HttpContext http, RemediationService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.VerifyAsync(HttpCaller.Of(http), org, c, id, body.Accept, body.Note, ct)).Answer(i => Results.Ok(Item(i, service.Today))));

    private static Task<IResult> FileAsync(string cycle, string org, long id, HttpContext http, RemediationService service, CancellationToken ct) =>
        Handle(cycle, async c =>
        {
            var found = await service.FileAsync(HttpCaller.Of(http), org, c, id, ct);
            if (found.Refusal is { } refusal)
            {
                return OutcomeResults.Problem(refusal);
            }

            var (file, content) = found.Value;
            EvidenceFileEndpoints.Disposition(http, new Ingest.Core.Evidence.EvidenceFile(0, cycle, org, string.Empty, file.Sha256, file.FileName, file.Kind, file.Bytes,
                string.Empty, default, null, null, null, null));
            return Results.Stream(content, Ingest.Core.Evidence.EvidenceFile.MediaTypeOf(file.Kind), entityTag: new EntityTagHeaderValue($"\"{file.Sha256}\""));
        });

    private static Task<IResult> CountyAsync(string cycle, string county, HttpContext http, RemediationService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.CountyAsync(HttpCaller.Of(http), county, c, ct)).Answer(r => Results.Ok(new
        {
            county = r.CountyName, today = r.Today, items = r.Items.Select(i => Item(i, r.Today)), overdue = r.Overdue.Select(i => i.Id),
        })));

    private static Task<IResult> WorkbookAsync(string cycle, string county, HttpContext http, RemediationService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.CountyAsync(HttpCaller.Of(http), county, c, ct)).Answer(r =>
            Results.File(RemediationExport.Workbook(r), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                Ingest.Core.Text.FileNames.Safe($"{r.CountyName}{c.Year}年度整改清单.xlsx"))));

    internal static object Plan(GapPlan p) => new
    {
        total = p.Total, stars = p.Stars, targetStars = p.TargetStars, targetMin = p.TargetMin, missing = p.Missing, unmetVeto = p.UnmetVeto, recoverable = p.Recoverable,
        headline = p.Headline, lines = p.Lines.Select(Line), waiting = p.Waiting.Select(Line),
    };

    private static object Line(GapLine l) => new
    {
        item = l.Number, l.Target, l.Name, star = l.Veto, l.Points, l.Score, l.Recovers, l.Figure, l.Blocks, text = l.Text,
    };

    private static object Item(RemediationItem i, DateOnly today) => new
    {
        i.Id, item = PrintedItems.Number(i.Target), i.Target, i.Problem, i.Recovers, i.DataLine, i.Deadline, i.Status, overdue = i.OverdueOn(today),
        i.CreatedBy, i.CreatedAt, i.SubmitNote, submitFile = i.SubmitFile?.FileName, i.SubmittedBy, i.SubmittedAt, i.VerifyNote, i.VerifiedBy, i.VerifiedAt,
        dataMet = i.DataMetRun is { } run ? new { run, period = i.DataMetPeriod, figure = i.DataMetFigure, at = i.DataMetAt } : null,
    };

    internal sealed record CreateBody(string? Target, string? Problem, DateOnly? Deadline);

    internal sealed record SubmitBody(string? Note);

    internal sealed record VerifyBody(bool Accept, string? Note);
}
