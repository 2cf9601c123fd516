using Ingest.Application.Evidence;
using Ingest.Application.People;
using Ingest.Core.Text;
using Ingest.Host.People;
using Ingest.Host.Web;

namespace Ingest.Host.Audit;

/// <summary>
/// Evidence over HTTP, for ops and auditors in scope: a fact's values with the archived upstream answers behind each, and
/// an archived answer's bytes as the upstream sent them.
/// </summary>
public static class EvidenceEndpoints
{
    public static IEndpointRouteBuilder MapEvidenceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Audit");
        api.MapGet("/evidence", TrailAsync)
            .Allow(OrgFrom.Query, "org", Roles.Ops, Roles.Auditor)
            .WithSummary("The trail behind a figure: every value the fact has had, and for each the archived upstream pages of its run, those naming the organisation marked.");
        api.MapGet("/raw/{id:long}", RawAsync)
            .Allow(OrgFrom.Route, "id", Roles.Ops, Roles.Auditor)
            .WithSummary("One archived upstream answer, byte for byte (its SHA-256 and the upstream's content type in headers).");
        return app;
    }

    private static async Task<IResult> TrailAsync(string org, string indicator, string period, string source, HttpContext http, AccessRules rules,
        EvidenceService evidence, CancellationToken ct)
    {
        if (await rules.FactsRefusalAsync(HttpCaller.Of(http), org, ct) is { } refusal)
        {
            return Problems.Forbidden(refusal);
        }

        return await evidence.TrailAsync(org, indicator, period, source, ct) is { } trail ? Results.Ok(trail)
            : Results.Problem($"没有 {org} 在 {period} 的 {indicator}（{source}）数据", statusCode: StatusCodes.Status404NotFound, title: "没有该数据");
    }

    private static async Task<IResult> RawAsync(long id, HttpContext http, EvidenceService evidence, CancellationToken ct)
    {
        if (await evidence.BytesAsync(id, HttpCaller.Of(http), ct) is not var (page, body))
        {
            return Results.Problem(EvidenceService.NotFound(id), statusCode: StatusCodes.Status404NotFound, title: "没有该页");
        }

        // Offered as a download, never rendered here: an upstream's body is not this site's content.
        http.Response.Headers["X-Upstream-Content-Type"] = page.ContentType ?? string.Empty;
        http.Response.Headers["X-Content-SHA256"] = page.Sha256;
        var extension = page.ContentType?.Contains("csv", StringComparison.OrdinalIgnoreCase) == true ? "csv" : "json";
        return Results.File(body, "application/octet-stream", FileNames.Safe($"{page.Connector}-{page.Stream}-{page.CountyCode}-{page.Period}-{page.Sequence}-{page.Id}.{extension}"));
    }
}
