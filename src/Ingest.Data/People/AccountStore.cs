using Ingest.Data.Audit;
using Npgsql;
using NpgsqlTypes;

namespace Ingest.Data.People;

/// <summary>An account as listed: everything but the password hash.</summary>
public sealed record AccountView(long Id, string Login, string DisplayName, string Role, string Scope, bool Disabled, DateTimeOffset CreatedAt,
    string CreatedBy, DateTimeOffset? LastSignInAt, DateTimeOffset? LockedUntil);

/// <summary>An account with what signing in needs: the hash, the lockout state and the security stamp.</summary>
public sealed record AccountRecord(long Id, string Login, string DisplayName, string Role, string Scope, string PasswordHash, bool Disabled,
    Guid SecurityStamp, int FailedSignIns, DateTimeOffset? LockedUntil);

/// <summary>The store refused a change; the message says why, in Chinese.</summary>
public sealed class AccountException(string message) : Exception(message);

/// <summary>Accounts in PostgreSQL. Every change appends its audit row in the same transaction.</summary>
public sealed class AccountStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string Columns = "id, login, display_name, role, scope, password_hash, disabled, security_stamp, failed_sign_ins, locked_until";

    /// <summary>Creates an account.</summary>
    /// <exception cref="AccountException">The login is taken.</exception>
    public async Task<AccountView> CreateAsync(string login, string displayName, string role, string scope, string passwordHash, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(by);
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand("""
            INSERT INTO ingest.account (login, display_name, role, scope, password_hash, security_stamp, created_at, created_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT DO NOTHING
            RETURNING id
            """, connection, tx);
        command.Parameters.AddWithValue(login.Trim());
        command.Parameters.AddWithValue(displayName.Trim());
        command.Parameters.AddWithValue(role);
        command.Parameters.AddWithValue(scope);
        command.Parameters.AddWithValue(passwordHash);
        command.Parameters.AddWithValue(Guid.NewGuid());
        command.Parameters.AddWithValue(now);
        command.Parameters.AddWithValue(by.Name);
        if (await command.ExecuteScalarAsync(ct) is not long id)
        {
            throw new AccountException($"登录名“{login.Trim()}”已被占用");
        }

        await AuditStore.AppendAsync(connection, tx, by,
            new AuditEvent("account.create", scope, login.Trim(), null, new { login = login.Trim(), displayName = displayName.Trim(), role, scope }), now, ct);
        await tx.CommitAsync(ct);
        return new AccountView(id, login.Trim(), displayName.Trim(), role, scope, false, now, by.Name, null, null);
    }

    /// <summary>The account of a login (any case), or null.</summary>
    public async Task<AccountRecord?> FindByLoginAsync(string login, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM ingest.account WHERE lower(login) = lower($1)");
        command.Parameters.AddWithValue(login.Trim());
        return await ReadOneAsync(command, ct);
    }

    /// <summary>The account of an id, or null.</summary>
    public async Task<AccountRecord?> FindByIdAsync(long id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM ingest.account WHERE id = $1");
        command.Parameters.AddWithValue(id);
        return await ReadOneAsync(command, ct);
    }

    /// <summary>Every account, by login.</summary>
    public async Task<IReadOnlyList<AccountView>> ListAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, login, display_name, role, scope, disabled, created_at, created_by, last_sign_in_at, locked_until
            FROM ingest.account ORDER BY lower(login)
            """);
        var rows = new List<AccountView>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new AccountView(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetBoolean(5),
                reader.GetFieldValue<DateTimeOffset>(6), reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9)));
        }

        return rows;
    }

    /// <summary>Disables or enables an account. Either way its browsers are signed out (a new security stamp).</summary>
    /// <exception cref="AccountException">No such login.</exception>
    public Task SetDisabledAsync(string login, bool disabled, Actor by, CancellationToken ct) =>
        ChangeAsync(login, by, disabled ? "account.disable" : "account.enable",
            "disabled = $2, security_stamp = gen_random_uuid(), failed_sign_ins = 0, locked_until = NULL", disabled,
            old => new { disabled = old.Disabled }, new { disabled }, ct);

    /// <summary>Sets a new password hash; signs out every browser of the account and lifts a lockout.</summary>
    /// <exception cref="AccountException">No such login.</exception>
    public Task SetPasswordAsync(string login, string passwordHash, Actor by, CancellationToken ct) =>
        ChangeAsync(login, by, "account.password", "password_hash = $2, security_stamp = gen_random_uuid(), failed_sign_ins = 0, locked_until = NULL",
            passwordHash, _ => null, null, ct);

    /// <summary>
    /// Counts a failed sign-in; at <paramref name="lockAfter"/> failures in a row the account is locked until
    /// <paramref name="lockFor"/> from now. Once a lock has run out, counting starts again from one. Atomic, so hosts
    /// signing in the same account at once count every try.
    /// </summary>
    public async Task<(int Failures, DateTimeOffset? LockedUntil)> RecordFailureAsync(long id, int lockAfter, TimeSpan lockFor, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE ingest.account a
            SET failed_sign_ins = n.failures,
                locked_until = CASE WHEN n.failures >= $2 THEN $3 WHEN n.expired THEN NULL ELSE a.locked_until END
            FROM (SELECT id, locked_until IS NOT NULL AND locked_until <= $4 AS expired,
                         CASE WHEN locked_until IS NOT NULL AND locked_until <= $4 THEN 1 ELSE failed_sign_ins + 1 END AS failures
                  FROM ingest.account WHERE id = $1 FOR UPDATE) n
            WHERE a.id = n.id
            RETURNING a.failed_sign_ins, a.locked_until
            """);
        var now = clock.GetUtcNow();
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(lockAfter);
        command.Parameters.AddWithValue(now + lockFor);
        command.Parameters.AddWithValue(now);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
    }

    /// <summary>Records a successful sign-in: the failures reset, the time kept; a rehashed password replaces the old hash.</summary>
    public async Task RecordSuccessAsync(long id, string? rehashed, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE ingest.account SET failed_sign_ins = 0, locked_until = NULL, last_sign_in_at = $2, password_hash = coalesce($3, password_hash)
            WHERE id = $1
            """);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(clock.GetUtcNow());
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)rehashed ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(ct);
    }

    private async Task ChangeAsync<T>(string login, Actor by, string action, string set, T value, Func<AccountRecord, object?> old, object? @new, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        AccountRecord? before;
        await using (var find = new NpgsqlCommand($"SELECT {Columns} FROM ingest.account WHERE lower(login) = lower($1) FOR UPDATE", connection, tx))
        {
            find.Parameters.AddWithValue(login.Trim());
            before = await ReadOneAsync(find, ct);
        }

        if (before is null)
        {
            throw new AccountException($"没有登录名为“{login.Trim()}”的账号");
        }

        await using (var update = new NpgsqlCommand($"UPDATE ingest.account SET {set} WHERE id = $1", connection, tx))
        {
            update.Parameters.AddWithValue(before.Id);
            update.Parameters.AddWithValue(value!);
            await update.ExecuteNonQueryAsync(ct);
        }

        await AuditStore.AppendAsync(connection, tx, by, new AuditEvent(action, before.Scope, before.Login, old(before), @new), clock.GetUtcNow(), ct);
        await tx.CommitAsync(ct);
    }

    private static async Task<AccountRecord?> ReadOneAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new AccountRecord(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetBoolean(6), reader.GetGuid(7), reader.GetInt32(8), reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9))
            : null;
    }
}
