using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Hangfire.Dashboard;
using Ingest.Application.People;
using Ingest.Data.People;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Ingest.Host.People;

/// <summary>
/// How requests are authenticated: browsers by an HttpOnly cookie, automation by <c>Authorization: Bearer</c> with a token
/// ops created. One policy scheme picks between them, so every endpoint sees the same claims whichever was used.
/// </summary>
public static class PeopleServiceCollectionExtensions
{
    public const string Scheme = "ingest";
    public const string BearerScheme = "Bearer";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>Accounts, tokens and the scope rules: what the CLI needs as well as the service.</summary>
    public static IServiceCollection AddIngestAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PeopleOptions>().Bind(configuration.GetSection(PeopleOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<AccountService>();
        services.TryAddSingleton<AccessRules>();
        return services;
    }

    /// <summary>Sign-in for the service (on top of <see cref="AddIngestAccounts"/>): the cookie and token schemes, the policies, antiforgery.</summary>
    public static IServiceCollection AddIngestPeople(this IServiceCollection services, IConfiguration configuration)
    {
        var idle = configuration.GetSection(PeopleOptions.Section).Get<PeopleOptions>()?.SessionIdle ?? new PeopleOptions().SessionIdle;

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = Scheme;
                o.DefaultChallengeScheme = Scheme;
            })
            .AddPolicyScheme(Scheme, "Ingest", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? BearerScheme : CookieScheme)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "ingest.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = idle;
                o.SlidingExpiration = true;
                o.LoginPath = "/signin";
                o.LogoutPath = "/signout";
                o.AccessDeniedPath = "/signin";
                o.Events = new CookieAuthenticationEvents
                {
                    OnRedirectToLogin = c => IsApi(c.Request) ? Problem(c.HttpContext, 401, Unauthenticated) : Redirect(c),
                    OnRedirectToAccessDenied = c => IsApi(c.Request) ? Problem(c.HttpContext, 403, "无权访问：本账号的角色不能使用此功能") : DeniedPage(c.HttpContext),
                    OnValidatePrincipal = ValidateCookieAsync,
                };
            })
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(BearerScheme, null);

        services.AddAuthorizationBuilder()
            // Nobody gets in by default: a route that declares no rule (AllowAttribute) and is not open (health, sign-in)
            // asks a stranger to sign in and refuses everyone signed in, whatever the role; in Development and Test the
            // service does not even start with one (RouteRules).
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser().RequireAssertion(_ => false).Build());

        // One key ring for every host, in PostgreSQL: a cookie issued by one host is read by the next, and a restart signs
        // nobody out. The keys sit in the database unencrypted, as the database's other secrets do; protect them with a
        // certificate (ProtectKeysWithCertificate) where the department's policy asks for it.
        services.AddDataProtection().SetApplicationName("Ingest");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(s =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new PostgresKeyRepository(s.GetRequiredService<Ingest.Data.People.KeyRingStore>())));

        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "ingest.csrf";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.HeaderName = AntiforgeryHeader;
        });
        return services;
    }

    /// <summary>The header a page's script sends the antiforgery token in with a JSON write.</summary>
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    internal const string Unauthenticated = "需要登录：请先登录，或在 Authorization 头中提供 Bearer 令牌";

    /// <summary>
    /// Authentication, authorization and antiforgery, in that order. A JSON write authenticated by the browser cookie
    /// must carry the antiforgery token too; a bearer token cannot be sent by another site, so it needs none.
    /// </summary>
    public static WebApplication UseIngestPeople(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.Use(async (http, next) =>
        {
            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !HttpMethods.IsOptions(http.Request.Method)
                && IsApi(http.Request) && http.User.Identity is { IsAuthenticated: true, AuthenticationType: CookieScheme })
            {
                var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
                if (!await antiforgery.IsRequestValidAsync(http))
                {
                    await Problem(http, 400, $"缺少或无效的防伪令牌：浏览器会话的写操作须在 {AntiforgeryHeader} 头中带上页面给出的令牌");
                    return;
                }
            }

            await next(http);
        });
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    /// <summary>A machine's request (the API, and the metrics a scraper reads): refused with a status, never sent to the sign-in page.</summary>
    internal static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/metrics");

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

    /// <summary>A page the signed-in person may not open: say so, and offer the way back.</summary>
    private static Task DeniedPage(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        http.Response.ContentType = "text/html; charset=utf-8";
        return http.Response.WriteAsync("""
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>无权访问</title></head>
            <body><main><h1>无权访问</h1><p>本账号的角色不能打开此页面。</p><p><a href="/">返回首页</a></p></main></body></html>
            """);
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

/// <summary>
/// <c>Authorization: Bearer ingest_…</c>: the token's SHA-256 looked up on every request, so a revoked token is refused
/// from the next request on, on every host.
/// </summary>
public sealed class TokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, TokenStore tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = header["Bearer ".Length..].Trim();
        if (!token.StartsWith(AccountService.TokenPrefix, StringComparison.Ordinal))
        {
            return AuthenticateResult.Fail("令牌格式不对");
        }

        var found = await tokens.FindByHashAsync(AccountService.Hash(token), Context.RequestAborted);
        if (found is null)
        {
            return AuthenticateResult.Fail("令牌无效");
        }

        if (found.RevokedAt is not null)
        {
            return AuthenticateResult.Fail("令牌已吊销");
        }

        if (found.ExpiresAt <= TimeProvider.GetUtcNow())
        {
            return AuthenticateResult.Fail("令牌已过期，请运维人员另建");
        }

        if (found.AccountDisabled)
        {
            return AuthenticateResult.Fail("令牌所属账号已停用");
        }

        await tokens.TouchAsync(found.Id, Context.RequestAborted);
        var identity = IngestClaims.Identity(Scheme.Name, found.Name, "token:" + found.Id.ToString(CultureInfo.InvariantCulture), found.Role, found.Scope,
            new Claim(IngestClaims.TokenId, found.Id.ToString(CultureInfo.InvariantCulture)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        Response.Headers.WWWAuthenticate = "Bearer";
        await PeopleServiceCollectionExtensions.Problem(Context, 401, failure is null ? PeopleServiceCollectionExtensions.Unauthenticated : $"未登录：{failure}");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        PeopleServiceCollectionExtensions.Problem(Context, 403, "无权访问：本令牌的角色不能使用此功能");
}

/// <summary>The Hangfire dashboard admits signed-in ops only, from any address; a local request without sign-in is refused too.</summary>
public sealed class OpsDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = context.GetHttpContext().User;
        return user.Identity?.IsAuthenticated == true && user.IsInRole(Roles.Ops);
    }
}
