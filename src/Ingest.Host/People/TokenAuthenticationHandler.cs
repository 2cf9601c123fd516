using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Ingest.Application.People;
using Ingest.Data.People;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Ingest.Host.People;

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
