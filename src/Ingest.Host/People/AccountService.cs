using System.Globalization;
using System.Security.Cryptography;
using Ingest.Core.Organisations;
using Ingest.Data.Audit;
using Ingest.Data.Organisations;
using Ingest.Data.People;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Ingest.Host.People;

/// <summary>How a sign-in ended. <see cref="Message"/> is what the person reads when it failed.</summary>
public sealed record SignInOutcome(AccountRecord? Account, string? Message)
{
    public bool Succeeded => Account is not null;
}

/// <summary>A token as created: <see cref="Token"/> is shown this once and kept only as its hash.</summary>
public sealed record CreatedToken(TokenView View, string Token);

/// <summary>
/// Accounts and tokens: checks what is asked against the roles and the organisation directory, hashes passwords with
/// ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>, counts failed sign-ins and locks, and audits all of it.
/// Used by the API and the CLI alike.
/// </summary>
public sealed class AccountService(AccountStore accounts, TokenStore tokens, OrganisationStore organisations, AuditStore audit,
    IOptionsMonitor<PeopleOptions> options, TimeProvider clock)
{
    /// <summary>Tokens start with this, so a secret scanner and a person recognise one.</summary>
    public const string TokenPrefix = "ingest_";

    private static readonly PasswordHasher<string> Hasher = new();

    // A hash of nothing anyone knows: an unknown login costs the same time as a wrong password.
    private static readonly string DecoyHash = Hasher.HashPassword(string.Empty, Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));

    /// <exception cref="AccountException">A field is wrong (the message names it), or the login is taken.</exception>
    public async Task<AccountView> CreateAsync(string login, string displayName, string role, string scope, string password, Actor by, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(login) || login.Trim().Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || login.Trim().Length > 64)
        {
            throw new AccountException($"登录名“{login}”不可用：须为 1～64 个字符，不含空格");
        }

        if (string.IsNullOrWhiteSpace(displayName))
        {
            throw new AccountException("缺少显示名：它是录入评分时的署名");
        }

        role = ParseRole(role);
        scope = await CheckScopeAsync(role, scope, ct);
        CheckPassword(password);
        return await accounts.CreateAsync(login, displayName, role, scope, Hasher.HashPassword(login.Trim(), password), by, ct);
    }

    public Task<IReadOnlyList<AccountView>> ListAsync(CancellationToken ct) => accounts.ListAsync(ct);

    /// <exception cref="AccountException">No such login.</exception>
    public Task SetDisabledAsync(string login, bool disabled, Actor by, CancellationToken ct) => accounts.SetDisabledAsync(login, disabled, by, ct);

    /// <exception cref="AccountException">No such login, or the password is too short.</exception>
    public Task SetPasswordAsync(string login, string password, Actor by, CancellationToken ct)
    {
        CheckPassword(password);
        return accounts.SetPasswordAsync(login, Hasher.HashPassword(login.Trim(), password), by, ct);
    }

    /// <summary>
    /// Checks a login and password. A disabled or locked account is refused even with the right password; each wrong
    /// password counts towards the lockout. Success and failure are both audited with the client address.
    /// </summary>
    public async Task<SignInOutcome> SignInAsync(string? login, string? password, string? address, CancellationToken ct)
    {
        var typed = (login ?? string.Empty).Trim();
        if (typed.Length == 0 || string.IsNullOrEmpty(password))
        {
            return new SignInOutcome(null, "请输入登录名和密码");
        }

        var account = await accounts.FindByLoginAsync(typed, ct);
        var now = clock.GetUtcNow();
        if (account is null)
        {
            Hasher.VerifyHashedPassword(typed, DecoyHash, password);
            return await FailAsync(typed, null, "unknown", "登录名或密码不正确");
        }

        if (account.Disabled)
        {
            return await FailAsync(account.Login, account, "disabled", "该账号已停用，请联系运维人员");
        }

        if (account.LockedUntil is { } until && until > now)
        {
            return await FailAsync(account.Login, account, "locked", LockedMessage(until));
        }

        var result = Hasher.VerifyHashedPassword(account.Login, account.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            var settings = options.CurrentValue;
            var (failures, locked) = await accounts.RecordFailureAsync(account.Id, settings.LockoutAttempts, settings.LockoutDuration, ct);
            return await FailAsync(account.Login, account, "password",
                locked is { } l && l > now ? LockedMessage(l) : $"登录名或密码不正确（连续错误 {failures} 次，满 {settings.LockoutAttempts} 次将锁定账号）");
        }

        await accounts.RecordSuccessAsync(account.Id,
            result == PasswordVerificationResult.SuccessRehashNeeded ? Hasher.HashPassword(account.Login, password) : null, ct);
        await audit.AppendAsync(new Actor(account.DisplayName, account.Login, account.Role, account.Scope, address), new AuditEvent("auth.sign_in"), ct);
        return new SignInOutcome(account, null);

        async Task<SignInOutcome> FailAsync(string who, AccountRecord? known, string why, string message)
        {
            await audit.AppendAsync(new Actor(known?.DisplayName ?? who, who, known?.Role, known?.Scope, address),
                new AuditEvent("auth.sign_in_failed", known?.Scope, null, null, new { reason = why }), ct);
            return new SignInOutcome(null, message);
        }
    }

    /// <summary>Records a sign-out in the audit trail.</summary>
    public Task SignedOutAsync(Caller caller, CancellationToken ct) => audit.AppendAsync(caller.Actor, new AuditEvent("auth.sign_out"), ct);

    /// <exception cref="AccountException">A field is wrong; the message names it.</exception>
    public async Task<CreatedToken> CreateTokenAsync(string name, string role, string scope, Actor by, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new AccountException("缺少令牌名称：写明用途（例如“某县数据同步脚本”），它是令牌写入时的署名");
        }

        role = ParseRole(role);
        scope = await CheckScopeAsync(role, scope, ct);
        var token = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var view = await tokens.CreateAsync(name, role, scope, Hash(token), token[..(TokenPrefix.Length + 6)], by, ct);
        return new CreatedToken(view, token);
    }

    public Task<IReadOnlyList<TokenView>> ListTokensAsync(CancellationToken ct) => tokens.ListAsync(ct);

    /// <exception cref="AccountException">No such token, or it was revoked already.</exception>
    public Task RevokeTokenAsync(long id, Actor by, CancellationToken ct) => tokens.RevokeAsync(id, by, ct);

    /// <summary>The stored form of a token.</summary>
    public static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));

    private static string ParseRole(string role)
    {
        try
        {
            return Roles.Parse(role);
        }
        catch (FormatException e)
        {
            throw new AccountException(e.Message);
        }
    }

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

    private static string LockedMessage(DateTimeOffset until) =>
        string.Create(CultureInfo.InvariantCulture, $"连续登录失败次数过多，账号已锁定，请于 {until.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm}（北京时间）后再试");

    private static string LevelWord(OrgLevel level) => level switch
    {
        OrgLevel.Region => "自治区（640000）",
        OrgLevel.County => "县（区）",
        OrgLevel.School => "学校",
        _ => "地级市",
    };

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
