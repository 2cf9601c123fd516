using System.Globalization;
using System.Security.Claims;
using Ingest.Application.People;
using Ingest.Data.People;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Ingest.Host.People;

public static partial class PeopleServiceCollectionExtensions
{
    /// <summary>A machine's request (the API, and the metrics a scraper reads): refused with a status, never sent to the sign-in page.</summary>
    internal static bool IsApi(HttpRequest request) => IsApi(request.Path);

    /// <summary>Whether <paramref name="path"/> is the API's or the metrics'.</summary>
    internal static bool IsApi(PathString path) => path.StartsWithSegments("/api") || path.StartsWithSegments("/metrics");

    internal static Task Problem(HttpContext http, int status, string detail)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new
        {
            type = status == 401 ? "https://tools.ietf.org/html/rfc9110#section-15.5.2" : status == 403 ? "https://tools.ietf.org/html/rfc9110#section-15.5.4" : "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            title = status == 401 ? "未登录" : status == 403 ? "无权访问" : "请求被拒绝",
            status,
            detail,
        }, options: null, contentType: "application/problem+json");
    }

    /// <summary>A page the signed-in person may not open: a bare 403, which the status pages answer with the styled page and the menu.</summary>
    private static Task DeniedPage(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Every request of a browser session re-reads its account and its session: a disabled account, one whose password
    /// changed, a session signed out (wherever its cookie was copied to) or past its absolute lifetime is refused at
    /// once rather than when the cookie expires.
    /// </summary>
    private static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        if (principal is null || !long.TryParse(principal.FindFirstValue(IngestClaims.AccountId), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            context.RejectPrincipal();
            return;
        }

        var store = context.HttpContext.RequestServices.GetRequiredService<AccountStore>();
        var account = await store.FindByIdAsync(id, context.HttpContext.RequestAborted);
        if (account is null || account.Disabled || account.SecurityStamp.ToString() != principal.FindFirstValue(IngestClaims.SecurityStamp)
            || !Guid.TryParse(principal.FindFirstValue(IngestClaims.SessionId), out var session)
            || !await store.SessionOpenAsync(session, id, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
        }
    }

    /// <summary>The cookie principal of an account that signed in.</summary>
    public static ClaimsPrincipal PrincipalOf(AccountRecord account, Guid session)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new ClaimsPrincipal(IngestClaims.Identity(CookieScheme, account.DisplayName, account.Login, account.Role, account.Scope,
            new Claim(IngestClaims.AccountId, account.Id.ToString(CultureInfo.InvariantCulture)),
            new Claim(IngestClaims.SecurityStamp, account.SecurityStamp.ToString()),
            new Claim(IngestClaims.SessionId, session.ToString())));
    }
}
