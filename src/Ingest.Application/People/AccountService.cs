using System.Security.Cryptography;
using Ingest.Application.UseCases;
using Ingest.Core.Organisations;
using Ingest.Data.Audit;
using Ingest.Data.Organisations;
using Ingest.Data.People;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Ingest.Application.People;

/// <summary>
/// Accounts and tokens: checks what is asked against the roles and the organisation directory, hashes passwords with
/// ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>, counts failed sign-ins and locks, and audits all of it.
/// Used by the API and the CLI alike.
/// </summary>
public sealed partial class AccountService(AccountStore accounts, TokenStore tokens, OrganisationStore organisations, AuditStore audit,
    IOptionsMonitor<PeopleOptions> options, TimeProvider clock)
{
    /// <summary>Tokens start with this, so a secret scanner and a person recognise one.</summary>
    public const string TokenPrefix = "ingest_";

    private static readonly PasswordHasher<string> Hasher = new();

    // A hash of nothing anyone knows: an unknown login costs the same time as a wrong password.
    private static readonly string DecoyHash = Hasher.HashPassword(string.Empty, Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));

    /// <summary>Creates an account for a role and scope; only ops (or the command line) manage accounts.</summary>
    public Task<Outcome<AccountView>> CreateAsync(Caller caller, string login, string displayName, string role, string scope, string password, CancellationToken ct) =>
        ManageAsync(caller, "账号未创建", async () =>
        {
            if (string.IsNullOrWhiteSpace(login) || login.Trim().Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || login.Trim().Length > 64)
            {
                throw new AccountException($"登录名“{login}”不可用：须为 1～64 个字符，不含空格");
            }

            if (string.IsNullOrWhiteSpace(displayName))
            {
                throw new AccountException("缺少显示名：它是录入评分时的署名");
            }

            var parsed = ParseRole(role);
            var checkedScope = await CheckScopeAsync(parsed, scope, ct);
            CheckPassword(password);
            return await accounts.CreateAsync(login, displayName, parsed, checkedScope, Hasher.HashPassword(login.Trim(), password), caller.Actor, ct);
        });

    public Task<IReadOnlyList<AccountView>> ListAsync(CancellationToken ct) => accounts.ListAsync(ct);

    /// <summary>Disables an account (refused at its next request) or enables it again.</summary>
    public Task<Outcome<Done>> SetDisabledAsync(Caller caller, string login, bool disabled, CancellationToken ct) =>
        ManageAsync(caller, disabled ? "账号未停用" : "账号未启用", async () =>
        {
            await accounts.SetDisabledAsync(login, disabled, caller.Actor, ct);
            return Done.Value;
        });

    /// <summary>Sets a new password: the account's browsers are signed out and a lockout is lifted.</summary>
    public Task<Outcome<Done>> SetPasswordAsync(Caller caller, string login, string password, CancellationToken ct) =>
        ManageAsync(caller, "密码未修改", async () =>
        {
            CheckPassword(password);
            await accounts.SetPasswordAsync(login, Hasher.HashPassword(login.Trim(), password), caller.Actor, ct);
            return Done.Value;
        });

    /// <summary>
    /// Runs a change to accounts or tokens for <paramref name="caller"/>: ops and the command line manage them, nobody
    /// else; a field that does not hold, a login taken or unknown, is refused with the message naming it.
    /// </summary>
    private static async Task<Outcome<T>> ManageAsync<T>(Caller caller, string title, Func<Task<T>> change)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsCommandLine && caller.Role != Roles.Ops)
        {
            return Refusal.Forbidden($"{caller.Describe()}不能管理账号与令牌：由运维人员管理");
        }

        try
        {
            return await change();
        }
        catch (AccountException e)
        {
            return Refusal.Invalid(title, "account", e.Message);
        }
    }

    /// <summary>What every failed sign-in reads, whatever the reason (kept in the audit trail).</summary>
    public const string SignInFailed = "登录名或密码不正确，或账号暂时不能登录。多次失败后请稍候再试；仍不能登录请联系运维人员";

    /// <summary>
    /// Checks a login and password, held against guessing on every host at once (the state is in PostgreSQL):
    /// <list type="number">
    /// <item>every try is kept by client address before the password is looked at, and an address with too many failed
    /// tries in the window is refused, whichever login it names;</item>
    /// <item>an account counts its tries before checking them, so tries made in parallel cannot pass the limit; at the
    /// limit it is locked, each lock in a row twice as long as the one before;</item>
    /// <item>a locked account still lets a try through from an address that has not failed on it, so a stranger's
    /// guesses do not keep the owner out;</item>
    /// <item>unknown, disabled, locked and wrong all answer <see cref="SignInFailed"/> after the same hashing work.</item>
    /// </list>
    /// Success and failure are both audited with the address and the real reason.
    /// </summary>
    public async Task<SignInOutcome> SignInAsync(string? login, string? password, string? address, CancellationToken ct)
    {
        var typed = (login ?? string.Empty).Trim();
        if (typed.Length == 0 || string.IsNullOrEmpty(password))
        {
            return new SignInOutcome(null, "请输入登录名和密码");
        }

        var settings = options.CurrentValue;
        var from = string.IsNullOrEmpty(address) ? "unknown" : address;
        var now = clock.GetUtcNow();
        var (tryId, fromAddress) = await accounts.RecordTryAsync(typed, from, now - settings.AddressWindow, ct);
        if (fromAddress > settings.AddressFailures)
        {
            Hasher.VerifyHashedPassword(typed, DecoyHash, password);
            return await FailAsync(typed, null, "address_throttled");
        }

        var account = await accounts.FindByLoginAsync(typed, ct);
        if (account is null || account.Disabled)
        {
            Hasher.VerifyHashedPassword(typed, DecoyHash, password);
            return await FailAsync(account?.Login ?? typed, account, account is null ? "unknown" : "disabled");
        }

        var counted = await accounts.TakeTryAsync(account.Id, settings.LockoutAttempts, ct);
        if (!counted && await accounts.HasFailedFromAsync(account.Login, from, tryId, now - TimeSpan.FromDays(1), ct))
        {
            Hasher.VerifyHashedPassword(typed, DecoyHash, password);
            return await FailAsync(account.Login, account, "locked");
        }

        var result = Hasher.VerifyHashedPassword(account.Login, account.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            var locked = counted ? await accounts.FailTryAsync(account.Id, settings.LockoutAttempts, settings.LockoutDuration, ct) : null;
            return await FailAsync(account.Login, account, counted ? "password" : "password_while_locked", locked);
        }

        await accounts.ForgiveAsync(tryId, ct);
        await accounts.RecordSuccessAsync(account.Id,
            result == PasswordVerificationResult.SuccessRehashNeeded ? Hasher.HashPassword(account.Login, password) : null, ct);
        var expires = clock.GetUtcNow() + settings.SessionLifetime;
        var session = await accounts.StartSessionAsync(account.Id, address, expires, ct);
        await audit.AppendAsync(new Actor(account.DisplayName, account.Login, account.Role, account.Scope, address), new AuditEvent(AuditActions.SignIn), ct);
        return new SignInOutcome(account, null, session, expires);

        async Task<SignInOutcome> FailAsync(string who, AccountRecord? known, string why, DateTimeOffset? lockedUntil = null)
        {
            await audit.AppendAsync(new Actor(known?.DisplayName ?? who, who, known?.Role, known?.Scope, address),
                new AuditEvent(AuditActions.SignInFailed, known?.Scope, null, null, lockedUntil is { } l ? new { reason = why, lockedUntil = l } : new { reason = why }), ct);
            return new SignInOutcome(null, SignInFailed);
        }
    }

    /// <summary>Whether a browser session is still open (not signed out, within its lifetime).</summary>
    public Task<bool> SessionOpenAsync(Guid session, long accountId, CancellationToken ct) => accounts.SessionOpenAsync(session, accountId, ct);

    /// <summary>Ends a browser session on the server and records the sign-out.</summary>
    public async Task SignOutAsync(Caller caller, Guid? session, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (session is { } id)
        {
            await accounts.EndSessionAsync(id, ct);
        }

        await audit.AppendAsync(caller.Actor, new AuditEvent(AuditActions.SignOut), ct);
    }

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

    private static string LevelWord(OrgLevel level) => level switch
    {
        OrgLevel.Region => "自治区（640000）",
        OrgLevel.County => "县（区）",
        OrgLevel.School => "学校",
        _ => "地级市",
    };

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
