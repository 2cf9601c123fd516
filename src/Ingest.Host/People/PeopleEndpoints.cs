using Ingest.Application.People;
using Ingest.Data.Audit;
using Ingest.Data.People;
using Ingest.Host.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace Ingest.Host.People;

/// <summary>Body of <c>POST /api/accounts</c>. Scope: an organisation code (the region 640000 for ops and the department).</summary>
public sealed record AccountBody(string Login, string DisplayName, string Role, string? Scope, string Password);

/// <summary>Body of <c>PUT /api/accounts/{login}/password</c>.</summary>
public sealed record PasswordBody(string Password);

/// <summary>
/// Body of <c>POST /api/tokens</c>: what the token is for (its name signs what it writes), its role and scope, how many
/// days it lasts (default 365) and the account it belongs to (default the person creating it).
/// </summary>
public sealed record TokenBody(string Name, string Role, string? Scope, int? Days = null, string? Account = null);

/// <summary>Who the caller is, and the antiforgery token a page's script sends with a JSON write.</summary>
public sealed record MeView(string Name, string Login, string Role, string RoleTitle, string Scope, string? RequestToken);

/// <summary>Sign-out for browsers (sign-in is the page <c>/signin</c>); accounts, tokens and the audit trail for ops (and auditors, for the trail).</summary>
public static class PeopleEndpoints
{
    public static IEndpointRouteBuilder MapPeople(this IEndpointRouteBuilder app)
    {
        app.MapPost("/signout", SignOutAsync)
            .WithMetadata(new RequireAntiforgeryTokenAttribute()).Allow([.. Roles.All]).WithTags("People").WithSummary("Signs out (a form with the antiforgery token).");
        var api = app.MapGroup("/api").WithTags("People");
        api.MapGet("/me", Me)
            .Allow([.. Roles.All])
            .WithSummary("The signed-in caller: name, role and scope; for a browser session also the antiforgery token for JSON writes.");

        var accounts = api.MapGroup("/accounts").Allow(Roles.Ops);
        accounts.MapGet("/", ListAccountsAsync).WithSummary("Every account, without password hashes.");
        accounts.MapPost("/", CreateAccountAsync).WithSummary("Creates an account for a role and scope.");
        accounts.MapPost("/{login}/disable", DisableAsync).WithSummary("Disables an account: refused at its next request.");
        accounts.MapPost("/{login}/enable", EnableAsync).WithSummary("Enables a disabled account.");
        accounts.MapPut("/{login}/password", SetPasswordAsync).WithSummary("Sets a new password; the account's browsers are signed out and a lockout is lifted.");

        var tokens = api.MapGroup("/tokens").Allow(Roles.Ops);
        tokens.MapGet("/", ListTokensAsync).WithSummary("Every token with its last use; never the token itself.");
        tokens.MapPost("/", CreateTokenAsync).WithSummary("Creates a token for a role and scope; the answer holds the token, shown this once.");
        tokens.MapDelete("/{id:long}", RevokeTokenAsync).WithSummary("Revokes a token: refused from the next request on.");

        api.MapGet("/audit", AuditAsync)
            .Allow(OrgFrom.Query, "org", Roles.Ops, Roles.Auditor)
            .WithTags("Audit")
            .WithSummary("The audit trail, newest first, filtered by organisation, person (name or login), time (from inclusive, to exclusive) and action.");
        return app;
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, AccountService accounts, CancellationToken ct)
    {
        await accounts.SignOutAsync(HttpCaller.Of(http), Guid.TryParse(http.User.FindFirst(IngestClaims.SessionId)?.Value, out var session) ? session : null, ct);
        await http.SignOutAsync(PeopleServiceCollectionExtensions.CookieScheme);
        return Results.Redirect("/signin");
    }

    private static MeView Me(HttpContext http, IAntiforgery antiforgery)
    {
        var caller = HttpCaller.Of(http);
        var requestToken = http.User.Identity?.AuthenticationType == PeopleServiceCollectionExtensions.CookieScheme
            ? antiforgery.GetAndStoreTokens(http).RequestToken
            : null;
        return new MeView(caller.Name, caller.Login, caller.Role, Roles.Title(caller.Role), caller.Scope, requestToken);
    }

    private static Task<IReadOnlyList<AccountView>> ListAccountsAsync(AccountService service, CancellationToken ct) => service.ListAsync(ct);

    private static async Task<IResult> CreateAccountAsync(AccountBody body, HttpContext http, AccountService service, CancellationToken ct) =>
        (await service.CreateAsync(HttpCaller.Of(http), body.Login, body.DisplayName, body.Role, body.Scope ?? string.Empty, body.Password, ct))
            .Answer(account => Results.Created($"/api/accounts/{account.Login}", account));

    private static async Task<IResult> DisableAsync(string login, HttpContext http, AccountService service, CancellationToken ct) =>
        (await service.SetDisabledAsync(HttpCaller.Of(http), login, true, ct)).Answer(_ => Results.NoContent());

    private static async Task<IResult> EnableAsync(string login, HttpContext http, AccountService service, CancellationToken ct) =>
        (await service.SetDisabledAsync(HttpCaller.Of(http), login, false, ct)).Answer(_ => Results.NoContent());

    private static async Task<IResult> SetPasswordAsync(string login, PasswordBody body, HttpContext http, AccountService service, CancellationToken ct) =>
        (await service.SetPasswordAsync(HttpCaller.Of(http), login, body.Password, ct)).Answer(_ => Results.NoContent());

    private static Task<IReadOnlyList<TokenView>> ListTokensAsync(AccountService service, CancellationToken ct) => service.ListTokensAsync(ct);

    private static async Task<IResult> CreateTokenAsync(TokenBody body, HttpContext http, AccountService service, CancellationToken ct) =>
        (await service.CreateTokenAsync(HttpCaller.Of(http), body.Name, body.Role, body.Scope ?? string.Empty, ct, body.Days, body.Account))
            .Answer(created => Results.Created($"/api/tokens/{created.View.Id}", new { created.View.Id, created.View.Name, created.View.Role, created.View.Scope,
                created.View.ExpiresAt, created.View.Account, created.Token,
                note = "令牌只显示这一次，请立即妥善保存；调用 API 时放在 Authorization: Bearer 头中" }));

    private static async Task<IResult> RevokeTokenAsync(long id, HttpContext http, AccountService service, CancellationToken ct) =>
        (await service.RevokeTokenAsync(HttpCaller.Of(http), id, ct)).Answer(_ => Results.NoContent());

    private static async Task<IResult> AuditAsync(string? org, string? person, DateTimeOffset? from, DateTimeOffset? to, string? action, int? limit, HttpContext http,
        AuditStore audit, AccessRules rules, CancellationToken ct)
    {
        var caller = HttpCaller.Of(http);
        if (org is not null && !await rules.InScopeAsync(caller, org, ct))
        {
            return Results.Problem($"{caller.Describe()}无权查看 {org} 的审计记录：不在本账号的范围内", statusCode: 403, title: "无权访问");
        }

        var orgs = caller.Role == Roles.Ops ? null : await rules.ScopeOrgsAsync(caller, ct);
        return Results.Ok(await audit.ListAsync(new AuditFilter(org, person, from, to, action, orgs, limit ?? 500), ct));
    }
}
