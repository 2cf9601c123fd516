using Ingest.Application.People;
using Ingest.Core.Sheets;
using Ingest.Host.Web;
using Ingest.Scoring.Sheets;

namespace Ingest.Host.People;

/// <summary>The scope check of a scoresheet route, as an endpoint filter: the route names the organisation, the caller's claims do the rest.</summary>
public static class SheetAccess
{
    /// <summary>
    /// Refuses (403) a caller who may not read the organisation named by the route value <paramref name="routeKey"/>, or,
    /// with <paramref name="write"/>, who writes no column of it; otherwise hands the handler its <see cref="SheetPermit"/>.
    /// </summary>
    /// <remarks>
    /// It declares the route's rule too: the roles that read sheets (the department, a bureau, a school, an auditor) or
    /// that write a column of them (not an auditor), the organisation from the route value.
    /// </remarks>
    /// <param name="roles">The roles the route serves when fewer than all readers or writers (申报星级: the school alone).</param>
    public static RouteHandlerBuilder ForSheet(this RouteHandlerBuilder builder, string routeKey, bool write = false, string[]? roles = null) =>
        builder.ForSheet(http => http.Request.RouteValues[routeKey] as string ?? string.Empty, write)
            .WithMetadata(new AllowAttribute(roles ?? (write ? Writers : Readers)) { Org = OrgFrom.Route, Key = routeKey });

    private static readonly string[] Readers = [Roles.Department, Roles.Bureau, Roles.School, Roles.Auditor];
    private static readonly string[] Writers = [Roles.Department, Roles.Bureau, Roles.School];

    /// <summary>
    /// As <see cref="ForSheet(RouteHandlerBuilder, string, bool, string[])"/> for the sheets of the whole region: only a caller whose
    /// scope is the region passes.
    /// </summary>
    public static RouteHandlerBuilder ForRegionSheets(this RouteHandlerBuilder builder, bool write = false) =>
        builder.ForSheet(_ => Ingest.Core.Organisations.Organisation.RegionCode, write)
            .WithMetadata(new AllowAttribute(write ? [Roles.Department] : [Roles.Department, Roles.Auditor]) { Org = OrgFrom.Region });

    private static RouteHandlerBuilder ForSheet(this RouteHandlerBuilder builder, Func<HttpContext, string> orgCode, bool write) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var caller = HttpCaller.Of(http);
            var code = orgCode(http);
            var permit = await http.RequestServices.GetRequiredService<AccessRules>().SheetAsync(caller, code, http.RequestAborted);
            if (!permit.Read)
            {
                return Problems.Forbidden(permit.Refusal!);
            }

            if (write && permit.Write is null)
            {
                return Problems.Forbidden($"{caller.Describe()}只能查看评分表，不能写入");
            }

            http.Items[typeof(SheetPermit)] = permit;
            return await next(context);
        });

    /// <summary>
    /// Who opens (pre-fills) a sheet that does not exist yet on this request: the caller when it may write the sheet,
    /// otherwise nobody, and the sheet is not created.
    /// </summary>
    public static Ingest.Data.Audit.Actor? Opener(this HttpContext http) => http.Permit().MayBuild ? HttpCaller.Of(http).Actor : null;

    /// <summary>The permit <see cref="ForSheet(RouteHandlerBuilder, string, bool, string[])"/> left for the handler.</summary>
    public static SheetPermit Permit(this HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Items[typeof(SheetPermit)] as SheetPermit ?? throw new InvalidOperationException("The route has no ForSheet filter.");
    }

    /// <summary>
    /// A 403 when the request names a column other than the one the caller's role writes (or a 400 when it names none that
    /// exists); null when it names the caller's column or none.
    /// </summary>
    public static IResult? RefuseOtherColumn(this HttpContext http, string? named)
    {
        if (string.IsNullOrWhiteSpace(named))
        {
            return null;
        }

        Column column;
        try
        {
            column = RaterText.ParseColumn(named);
        }
        catch (FormatException e)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["column"] = [e.Message] }, title: "评分栏无法识别");
        }

        var written = AccessRules.ColumnFor(HttpCaller.Of(http), http.Permit(), column);
        return written.IsDone ? null : OutcomeResults.Problem(written.Refusal!);
    }
}
