using Ingest.Application.Oversight;
using Ingest.Application.People;
using Ingest.Core.Oversight;
using Ingest.Host.People;
using Ingest.Host.Web;
using Ingest.Scoring.Sheets;
using static Ingest.Host.Scoring.ScoringApi;

namespace Ingest.Host.Audit;

/// <summary>The county evaluation visit over HTTP (seed 004, 一、评估方法): 汇报, 事前采集, 实地查看 and 座谈交流.</summary>
public static class VisitEndpoints
{
    public static IEndpointRouteBuilder MapVisits(this IEndpointRouteBuilder app)
    {
        var visit = app.MapGroup("/api/visits/{cycle}/{county}").WithTags("Oversight");
        visit.MapGet("/", ReadAsync)
            .Allow(OrgFrom.Route, "county", Roles.Department, Roles.Auditor, Roles.Bureau)
            .WithSummary("A county's evaluation visit (county:YYYY): its report, the run whose end the data was read at with the county sheet as it stood then, the schools drawn for 实地查看 with seed and list, the notes of the 座谈交流, and each expert's entries in the 教育厅评定 column.");
        visit.MapPost("/report", ReportAsync)
            .Allow(OrgFrom.Route, "county", Roles.Bureau, Roles.Department)
            .ProducesValidationProblem()
            .WithSummary("The county's report as typed: {\"text\": …}, 2000字以内 (white space not counted).");
        visit.MapPost("/report/file", ReportFileAsync)
            .Allow(OrgFrom.Route, "county", Roles.Bureau, Roles.Department)
            .ProducesValidationProblem()
            .WithSummary("The county's report as a file (.txt in UTF-8 or GB18030, or .docx) in the body; ?fileName=…; 2000字以内.");
        visit.MapPost("/data", DataAsync)
            .Allow(OrgFrom.Route, "county", Roles.Department)
            .ProducesValidationProblem()
            .WithSummary("事前采集: the ended run whose data the experts read, {\"run\": 12}; the county sheet is then shown as it stood at that run's end.");
        visit.MapPost("/schools", DrawAsync)
            .Allow(OrgFrom.Route, "county", Roles.Department)
            .ProducesValidationProblem()
            .WithSummary("实地查看: draws schools of every 学段 from the county's active schools with {\"seed\": …} or a new seed (Oversight:VisitSampleSize), recorded with the list; once.");
        visit.MapPost("/notes", NoteAsync)
            .Allow(OrgFrom.Route, "county", Roles.Department)
            .ProducesValidationProblem()
            .WithSummary("座谈交流: an issue raised, {\"speaker\": \"教师\", \"school\": \"…\", \"issue\": …}; speaker 学校领导, 教师 or 学生.");
        return app;
    }

    private static Task<IResult> ReadAsync(string cycle, string county, HttpContext http, VisitService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.ReadAsync(HttpCaller.Of(http), county, c, ct)).Answer(v => Results.Ok(View(v))));

    private static Task<IResult> ReportAsync(string cycle, string county, VisitReportBody body, HttpContext http, VisitService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.ReportAsync(HttpCaller.Of(http), county, c, body.Text, null, null, ct)).Answer(v => Results.Ok(View(v))));

    private static async Task<IResult> ReportFileAsync(string cycle, string county, string? fileName, HttpContext http, VisitService service, CancellationToken ct)
    {
        // Bounded before it is read: a report longer than the limit is refused without holding it whole.
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > Ingest.Documents.Uploads.ReportText.MaxBytes)
            {
                return Results.Problem($"{fileName}：文件超过 {Ingest.Documents.Uploads.ReportText.MaxBytes / 1024 / 1024} MB 的上限", statusCode: 400, title: "汇报未保存");
            }

            buffer.Write(chunk, 0, read);
        }

        return await Handle(cycle, async c => (await service.ReportAsync(HttpCaller.Of(http), county, c, null, buffer.ToArray(), fileName ?? "汇报.txt", ct))
            .Answer(v => Results.Ok(View(v))));
    }

    private static Task<IResult> DataAsync(string cycle, string county, VisitDataBody body, HttpContext http, VisitService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.DataAsync(HttpCaller.Of(http), county, c, body.Run, ct)).Answer(v => Results.Ok(View(v))));

    private static Task<IResult> DrawAsync(string cycle, string county, SpotCheckDrawBody? body, HttpContext http, VisitService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.DrawAsync(HttpCaller.Of(http), county, c, body?.Seed, ct)).Answer(v => Results.Ok(View(v))));

    private static Task<IResult> NoteAsync(string cycle, string county, VisitNoteBody body, HttpContext http, VisitService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.NoteAsync(HttpCaller.Of(http), county, c, body.Speaker, body.School, body.Issue, ct)).Answer(v => Results.Ok(View(v))));

    private static object View(CountyVisit v) => new
    {
        v.Cycle, v.CountyCode,
        Report = new { Text = v.Report, Length = VisitService.Length(v.Report), Source = v.ReportSource, By = v.ReportBy, At = v.ReportAt },
        Data = new { Run = v.DataRunId, AsOf = v.DataAsOf, By = v.DataBy, At = v.DataAt },
        Schools = new
        {
            v.Seed, v.SampleSize, By = v.DrawnBy, At = v.DrawnAt,
            Drawn = v.Sample.Select(s => new { s.Code, s.Name, s.Stratum }), Population = v.Population.Select(s => new { s.Code, s.Name, s.Stratum }),
        },
        Notes = v.Notes.Select(n => new { n.Speaker, n.SchoolCode, n.SchoolName, n.Issue, n.RecordedBy, n.RecordedAt }),
    };

    private static object View(VisitView view) => new
    {
        view.CountyName, Visit = View(view.Visit),
        DataSheet = view.DataSheet is { } s ? new
        {
            AsOf = s.ScoredAt, Columns = s.Columns.Select(c => new { Column = c.Column.ToString().ToLowerInvariant(), c.Total, Pending = c.Pending, NotComputable = c.NotComputable }),
            Lines = s.Auto.Select(a => new { Item = Ingest.Scoring.Rubrics.PrintedItems.Number(a.Key), a.Value.Score, a.Value.Summary, a.Value.Reason }),
        } : null,
        view.DataProblem,
        Experts = view.Experts.Select(e => new { e.By, Items = e.Targets, e.Last }),
    };
}

/// <summary>A county's report as typed.</summary>
public sealed record VisitReportBody(string? Text);

/// <summary>The run whose data the experts read (事前采集).</summary>
public sealed record VisitDataBody(long Run);

/// <summary>A note of the 座谈交流.</summary>
public sealed record VisitNoteBody(string? Speaker, string? School, string? Issue);
