using System.Security.Cryptography;
using Ingest.Application.UseCases;
using Ingest.Core.Organisations;
using Ingest.Data.Audit;
using Ingest.Data.People;

namespace Ingest.Application.People;

public sealed partial class AccountService
{
    /// <summary>Creates a token for a role and scope; the outcome holds the token, shown this once.</summary>
    /// <remarks>
    /// The token lasts <paramref name="days"/> days (default <see cref="PeopleOptions.TokenLifetime"/>) and belongs to the
    /// account <paramref name="account"/> names, else to the signed-in person who creates it: disabling that account stops
    /// the token. A token made at the command line without an account belongs to none and is stopped by revoking it.
    /// </remarks>
    public Task<Outcome<CreatedToken>> CreateTokenAsync(Caller caller, string name, string role, string scope, CancellationToken ct, int? days = null, string? account = null) =>
        ManageAsync(caller, "令牌未创建", async () =>
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new AccountException("缺少令牌名称：写明用途（例如“某县数据同步脚本”），它是令牌写入时的署名");
            }

            if (days is < 1 or > 3650)
            {
                throw new AccountException($"令牌有效期 {days} 天不可用：应为 1～3650 天");
            }

            var parsed = ParseRole(role);
            var checkedScope = await CheckScopeAsync(parsed, scope, ct);
            var ownerLogin = account ?? (!caller.IsCommandLine && !caller.Login.StartsWith("token:", StringComparison.Ordinal) ? caller.Login : null);
            long? owner = null;
            if (ownerLogin is not null)
            {
                owner = (await accounts.FindByLoginAsync(ownerLogin, ct) ?? throw new AccountException($"没有登录名为“{ownerLogin}”的账号：令牌须属于一个账号")).Id;
            }

            var expires = clock.GetUtcNow() + (days is { } d ? TimeSpan.FromDays(d) : options.CurrentValue.TokenLifetime);
            var token = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
            var view = await tokens.CreateAsync(name, parsed, checkedScope, Hash(token), token[..(TokenPrefix.Length + 6)], expires, owner, caller.Actor, ct);
            return new CreatedToken(view, token);
        });

    public Task<IReadOnlyList<TokenView>> ListTokensAsync(CancellationToken ct) => tokens.ListAsync(ct);

    /// <summary>Revokes a token: refused from the next request on.</summary>
    public Task<Outcome<Done>> RevokeTokenAsync(Caller caller, long id, CancellationToken ct) =>
        ManageAsync(caller, "令牌未吊销", async () =>
        {
            await tokens.RevokeAsync(id, caller.Actor, ct);
            return Done.Value;
        });

    /// <summary>The stored form of a token.</summary>
    public static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));

    /// <summary>The scope a role may have: the region for ops and the department; a county in the directory for a bureau; a school for a school.</summary>
    private async Task<string> CheckScopeAsync(string role, string? scope, CancellationToken ct)
    {
        var levels = Roles.ScopeLevels(role);
        var code = string.IsNullOrWhiteSpace(scope) ? (levels.Contains(OrgLevel.Region) ? Organisation.RegionCode : string.Empty) : scope.Trim();
        if (code.Length == 0)
        {
            throw new AccountException($"{Roles.Title(role)}账号须指定机构（--org）：{(role == Roles.Bureau ? "县（区）代码，例如 640424" : "学校标识码")}");
        }

        if (code == Organisation.RegionCode && levels.Contains(OrgLevel.Region))
        {
            return code;
        }

        var org = await organisations.FindAsync(code, ct);
        if (org is null)
        {
            throw new AccountException($"机构目录中没有 {code}：请先采集其所在县（区）的数据，再为其建账号");
        }

        if (!levels.Contains(org.Level))
        {
            throw new AccountException($"{code}（{org.Name}）不能作为{Roles.Title(role)}账号的范围：{Roles.Title(role)}账号的范围应为{string.Join("或", levels.Select(LevelWord))}");
        }

        return code;
    }

    private void CheckPassword(string password)
    {
        var minimum = options.CurrentValue.MinimumPasswordLength;
        if (string.IsNullOrEmpty(password) || password.Length < minimum)
        {
            throw new AccountException($"密码太短：至少 {minimum} 个字符");
        }
    }
}
