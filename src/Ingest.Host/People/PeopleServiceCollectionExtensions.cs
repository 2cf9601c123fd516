using Ingest.Application.People;
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
public static partial class PeopleServiceCollectionExtensions
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
}

