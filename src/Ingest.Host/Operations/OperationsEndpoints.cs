using Ingest.Application.Ingestion;
using Ingest.Application.Operations;
using Ingest.Application.People;
using Ingest.Core.Periods;
using Ingest.Data.Facts;
using Ingest.Data.Runs;
using Ingest.Host.People;
using Ingest.Host.Web;

namespace Ingest.Host.Operations;

/// <summary>Body of <c>POST /api/runs</c>: a cycle (<c>county:2024</c>) or a period (<c>2023-2024</c>), optionally counties and connectors.</summary>
public sealed record StartRunBody(string? Cycle, string? Period, IReadOnlyList<string>? Counties, IReadOnlyList<string>? Connectors);

/// <summary>Answer of <c>POST /api/runs</c>.</summary>
public sealed record StartRunAnswer(long RunId, int Units, IReadOnlyList<string> Periods, IReadOnlyList<string> Counties);

public static class OperationsEndpoints
{
    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Ingestion");

        api.MapGet("/runs", ListRunsAsync)
            .Allow(Roles.Ops, Roles.Auditor)
            .WithSummary("Recent ingestion runs, newest first, with per-stream counts; a county's auditor sees the runs that read its county, counted over it alone.");

        api.MapPost("/runs", StartRunAsync)
            .Allow(Roles.Ops)
            .WithSummary("Starts an ingestion run: one background job per connector, county and period.")
            .ProducesValidationProblem();

        api.MapGet("/status", StatusAsync)
            .Allow(Roles.Ops)
            .WithSummary("For every connector × county the last success (backfills aside) and a failure since it; what is stale beyond Ingest:Operations:StaleAfter and what is failing.");

        // Facts: ops and the region's auditors read any; a county's auditor names an organisation of the county.
        api.MapGet("/facts", FactsAsync)
            .Allow(OrgFrom.Query, "org", Roles.Ops, Roles.Auditor)
            .WithTags("Facts")
            .WithSummary("Current indicator facts, filtered by organisation, indicator and period.");

        api.MapGet("/facts/history", FactHistoryAsync)
            .Allow(OrgFrom.Query, "org", Roles.Ops, Roles.Auditor)
            .WithTags("Facts")
            .WithSummary("Every value one fact has had, oldest first, with the run that recorded it and when it was replaced.");

        return app;
    }

    private static Task<IReadOnlyList<RunSummary>> ListRunsAsync(RunReader runs, int? limit, HttpContext http, CancellationToken ct) =>
        runs.ListRunsAsync(Math.Clamp(limit ?? 20, 1, 500), AccessRules.RunCounty(HttpCaller.Of(http)), ct);

    private static Task<OperationsStatus> StatusAsync(StatusService status, CancellationToken ct) => status.StatusAsync(ct);

    private static async Task<IResult> FactsAsync(FactReader facts, string? org, string? indicator, string? period, int? limit, HttpContext http, AccessRules rules,
        CancellationToken ct) =>
        await RefuseFactsAsync(http, rules, org, ct) ?? Results.Ok(await facts.ListAsync(org, indicator, period, Math.Clamp(limit ?? 1000, 1, 100_000), ct));

    private static async Task<IResult> FactHistoryAsync(FactReader facts, string org, string indicator, string period, string source, HttpContext http,
        AccessRules rules, CancellationToken ct) =>
        await RefuseFactsAsync(http, rules, org, ct) ?? Results.Ok(await facts.HistoryAsync(org, indicator, period, source, ct));

    private static async Task<IResult?> RefuseFactsAsync(HttpContext http, AccessRules rules, string? org, CancellationToken ct) =>
        await rules.FactsRefusalAsync(HttpCaller.Of(http), org, ct) is { } refusal ? Problems.Forbidden(refusal) : null;

    private static async Task<IResult> StartRunAsync(StartRunBody body, HttpContext http, Operations.RunStarter starter, CancellationToken ct)
    {
        EvaluationCycle[] cycles = [];
        Period? period = null;
        try
        {
            cycles = body.Cycle is null ? [] : IngestionRequest.ParseCycles(body.Cycle);
            period = body.Period is null ? null : Period.Parse(body.Period);
        }
        catch (FormatException e)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { [body.Cycle is null ? "period" : "cycle"] = [e.Message] });
        }

        try
        {
            var run = await starter.StartAsync(new IngestionRequest("api", cycles.FirstOrDefault(), period, body.Counties, body.Connectors, Cycles: cycles.Skip(1).ToArray()), HttpCaller.Of(http).Actor, ct);
            return Results.Accepted($"/api/runs", new StartRunAnswer(run.RunId, run.Units.Count, run.Periods, run.Counties));
        }
        catch (IngestionPlanException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "无法安排采集");
        }
    }
}
