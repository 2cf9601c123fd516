using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Core.Periods;
using Ingest.Host.People;
using Ingest.Host.Web;
using static Ingest.Host.Scoring.ScoringApi;

namespace Ingest.Host.Scoring;

/// <summary>The programme report of a school star year, per county.</summary>
public static class ProgrammeEndpoints
{
    public static IEndpointRouteBuilder MapProgrammeReport(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/reports/{cycle}/programme", ReportAsync)
            .Allow(OrgFrom.Query, "county", Roles.Department, Roles.Bureau, Roles.Auditor)
            .WithTags("Reports")
            .WithSummary("The programme rules of a school star year, per county: 3-star schools against 30% of the cultivation schools, the 4-star pass rate, and schools flagged for demotion after three years without moving up.");
        return app;
    }

    private static Task<IResult> ReportAsync(string cycle, string? county, HttpContext http, AccessRules rules, ProgrammeReportService service, CancellationToken ct) =>
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
        });
}
