using Microsoft.AspNetCore.Authorization;

namespace Ingest.Host.People;

/// <summary>Where a route finds the organisation whose scope its caller must hold.</summary>
public enum OrgFrom
{
    /// <summary>No organisation: the rule is the role alone (the rubrics, the caller's own account).</summary>
    None,

    /// <summary>A route value (<see cref="AllowAttribute.Key"/>): <c>/api/scoresheets/{cycle}/{org}</c>.</summary>
    Route,

    /// <summary>A query value (<see cref="AllowAttribute.Key"/>), the caller's own scope when it is left out.</summary>
    Query,

    /// <summary>The request body names it, row by row (an import): each is checked as it is read.</summary>
    Body,

    /// <summary>The region: region-wide callers only.</summary>
    Region,
}

/// <summary>
/// Who may use a route: the roles (enforced by ASP.NET Core's authorization as the route's <see cref="IAuthorizeData"/>)
/// and where its organisation comes from (checked against the caller's scope by the route's own filter or handler). Every
/// endpoint and page carries exactly one, or says it is open (<see cref="AllowAnonymousAttribute"/>); the fallback policy
/// refuses a route that has neither to every caller, and the service will not start in Development or Test while one
/// exists (<see cref="RouteRules"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class AllowAttribute : Attribute, IAuthorizeData
{
    public AllowAttribute(params string[] roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        if (roles.Length == 0 || roles.Any(r => !Ingest.Application.People.Roles.All.Contains(r)))
        {
            throw new ArgumentException($"A rule names one or more of the roles {string.Join(", ", Ingest.Application.People.Roles.All)}: {string.Join(", ", roles)}", nameof(roles));
        }

        Who = roles;
        Roles = string.Join(',', roles);
    }

    /// <summary>The roles that may use the route.</summary>
    public IReadOnlyList<string> Who { get; }

    /// <summary>Where the route's organisation comes from.</summary>
    public OrgFrom Org { get; init; } = OrgFrom.None;

    /// <summary>The route or query value naming the organisation (<see cref="OrgFrom.Route"/>, <see cref="OrgFrom.Query"/>).</summary>
    public string? Key { get; init; }

    /// <summary>The roles as ASP.NET Core's authorization reads them.</summary>
    public string? Roles { get; set; }

    string? IAuthorizeData.Policy { get; set; }

    public string? AuthenticationSchemes { get; set; }

    /// <summary>The rule in words, as the permissions table writes it.</summary>
    public override string ToString() => string.Join(' ', Who) + (Org switch
    {
        OrgFrom.Route or OrgFrom.Query => $" · {Org.ToString().ToLowerInvariant()} {Key}",
        OrgFrom.None => string.Empty,
        _ => " · " + Org.ToString().ToLowerInvariant(),
    });
}

/// <summary>Route-table conventions for <see cref="AllowAttribute"/>.</summary>
public static class AllowExtensions
{
    /// <summary>Declares who may use the routes (see <see cref="AllowAttribute"/>).</summary>
    public static TBuilder Allow<TBuilder>(this TBuilder builder, OrgFrom org, string? key, params string[] roles)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AllowAttribute(roles) { Org = org, Key = key });

    /// <summary>Declares who may use the routes when they name no organisation.</summary>
    public static TBuilder Allow<TBuilder>(this TBuilder builder, params string[] roles)
        where TBuilder : IEndpointConventionBuilder =>
        builder.Allow(OrgFrom.None, null, roles);
}

/// <summary>The routes of the table that declare no rule, checked as the service starts.</summary>
public static class RouteRules
{
    /// <summary>
    /// Every endpoint with neither an <see cref="AllowAttribute"/> nor <see cref="IAllowAnonymous"/>, or with more than one
    /// rule, by its route and methods.
    /// </summary>
    public static IReadOnlyList<string> Unruled(IEnumerable<Endpoint> endpoints) =>
        endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && e.Metadata.GetOrderedMetadata<AllowAttribute>().Count != 1)
            .Select(e => $"{string.Join('|', e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])} /{e.RoutePattern.RawText?.TrimStart('/')}")
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
}
