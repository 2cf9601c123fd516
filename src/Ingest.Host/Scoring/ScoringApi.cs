using System.Globalization;
using Ingest.Application.Rating;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Core.Text;
using Ingest.Documents.Exports;
using Ingest.Host.Documents;
using Ingest.Host.Web;
using Ingest.Scoring.Sheets;

namespace Ingest.Host.Scoring;

/// <summary>The rating API's route tables, and how its handlers answer: a cycle read from the route, refusals as problems.</summary>
public static class ScoringApi
{
    public static IEndpointRouteBuilder MapScoringApi(this IEndpointRouteBuilder app)
    {
        app.MapRubrics();
        app.MapScoresheets();
        app.MapCountyScoresheets();
        app.MapContacts();
        app.MapProgrammeReport();
        app.MapRoster();
        app.MapLevels();
        app.MapEvidenceFiles();
        app.MapRemediation();
        app.MapBulletins();
        return app;
    }

    /// <summary>
    /// Runs a handler on the cycle of the route: a cycle that does not read is 400; the printer busy 503 with Retry-After,
    /// a PDF that cannot be printed here 503. What a use case refuses, the handler answers (<see cref="OutcomeResults"/>).
    /// </summary>
    internal static async Task<IResult> Handle(string cycleText, Func<EvaluationCycle, Task<IResult>> action)
    {
        EvaluationCycle cycle;
        try
        {
            cycle = EvaluationCycle.Parse(cycleText);
        }
        catch (FormatException e)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["cycle"] = [e.Message] }, title: "评定周期无法识别");
        }

        try
        {
            return await action(cycle);
        }
        catch (PrinterBusyException e)
        {
            return new RetryLater(Results.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "稍后再试"), e.RetryAfter);
        }
        catch (PrintFailedException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "PDF 暂时无法生成，可先导出 Excel 版");
        }
    }

    /// <summary>Every line of the sheets in each column, as CSV or JSON.</summary>
    internal static IResult Lines(IEnumerable<Scoresheet> sheets, string format, string name)
    {
        var lines = ScoresheetExports.Lines(sheets.Select(ScoresheetView.From));
        return format == "csv"
            ? Results.Stream(s => ScoresheetExports.WriteCsvAsync(s, lines, CancellationToken.None), "text/csv; charset=utf-8", FileNames.Safe(name + ".csv"))
            : Results.Stream(s => ScoresheetExports.WriteJsonAsync(s, lines, CancellationToken.None), "application/json", FileNames.Safe(name + ".json"));
    }

    internal static IResult Workbook(Action<Stream> write, string fileName)
    {
        var buffer = new MemoryStream();
        write(buffer);
        return Results.File(buffer.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", FileNames.Safe(fileName));
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
}
