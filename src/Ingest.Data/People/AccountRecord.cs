namespace Ingest.Data.People;

/// <summary>An account with what signing in needs: the hash, the lockout state and the security stamp.</summary>
public sealed record AccountRecord(long Id, string Login, string DisplayName, string Role, string Scope, string PasswordHash, bool Disabled,
    Guid SecurityStamp, int FailedSignIns, DateTimeOffset? LockedUntil);

/// <summary>An account as listed: everything but the password hash.</summary>
public sealed record AccountView(long Id, string Login, string DisplayName, string Role, string Scope, bool Disabled, DateTimeOffset CreatedAt,
    string CreatedBy, DateTimeOffset? LastSignInAt, DateTimeOffset? LockedUntil);

/// <summary>The store refused a change; the message says why, in Chinese.</summary>
public sealed class AccountException(string message) : Exception(message);
