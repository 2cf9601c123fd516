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
            new AuditEvent(AuditActions.AccountCreate, scope, login.Trim(), null, new { login = login.Trim(), displayName = displayName.Trim(), role, scope }), now, ct);
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
        ChangeAsync(login, by, disabled ? AuditActions.AccountDisable : AuditActions.AccountEnable,
            "disabled = $2, security_stamp = gen_random_uuid(), failed_sign_ins = 0, locked_until = NULL", disabled,
            old => new { disabled = old.Disabled }, new { disabled }, ct);

    /// <summary>Sets a new password hash; signs out every browser of the account and lifts a lockout.</summary>
    /// <exception cref="AccountException">No such login.</exception>
    public Task SetPasswordAsync(string login, string passwordHash, Actor by, CancellationToken ct) =>
        ChangeAsync(login, by, AuditActions.AccountPassword, "password_hash = $2, security_stamp = gen_random_uuid(), failed_sign_ins = 0, locked_until = NULL",
            passwordHash, _ => null, null, ct);

    /// <summary>
    /// Takes one try at the account's password before it is checked, so tries made at once on any host are counted
    /// before any of them is judged: false when the account is locked, or when <paramref name="lockAfter"/> tries are
    /// already counted and not yet judged or failed. A lock that has run out starts the count again.
    /// </summary>
    public async Task<bool> TakeTryAsync(long id, int lockAfter, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE ingest.account
            SET failed_sign_ins = CASE WHEN locked_until IS NOT NULL AND locked_until <= $3 THEN 1 ELSE failed_sign_ins + 1 END,
                locked_until = CASE WHEN locked_until IS NOT NULL AND locked_until <= $3 THEN NULL ELSE locked_until END
            WHERE id = $1 AND (locked_until IS NULL AND failed_sign_ins < $2 OR locked_until <= $3)
            RETURNING failed_sign_ins
            """);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(lockAfter);
        command.Parameters.AddWithValue(clock.GetUtcNow());
        return await command.ExecuteScalarAsync(ct) is int;
    }

    /// <summary>
    /// A try taken by <see cref="TakeTryAsync"/> failed: at <paramref name="lockAfter"/> failures in a row the account is
    /// locked, each lock in a row twice as long as the one before (<paramref name="lockFor"/>, then double, up to a day).
    /// Returns when the account is now locked until, if it is.
    /// </summary>
    public async Task<DateTimeOffset?> FailTryAsync(long id, int lockAfter, TimeSpan lockFor, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE ingest.account
            SET locked_until = CASE WHEN failed_sign_ins >= $2 AND locked_until IS NULL
                                    THEN $3 + least($4 * power(2, least(locks, 16)), 86400) * interval '1 second' ELSE locked_until END,
                locks = CASE WHEN failed_sign_ins >= $2 AND locked_until IS NULL THEN locks + 1 ELSE locks END
            WHERE id = $1
            RETURNING locked_until
            """);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(lockAfter);
        command.Parameters.AddWithValue(clock.GetUtcNow());
        command.Parameters.AddWithValue(lockFor.TotalSeconds);
        var locked = await command.ExecuteScalarAsync(ct);
        return locked is DateTime t ? new DateTimeOffset(t, TimeSpan.Zero) : locked as DateTimeOffset?;
    }

    /// <summary>
    /// Keeps a try at signing in from <paramref name="address"/> as <paramref name="login"/> as failed until
    /// <see cref="ForgiveAsync"/> says it succeeded, and answers the tries now kept from that address since
    /// <paramref name="since"/> (this one included). Kept before the password is checked, so tries made at once count
    /// each other. A day's worth is kept; older ones go as new ones come.
    /// </summary>
    public async Task<(long Id, long FromAddress)> RecordTryAsync(string login, string address, DateTimeOffset since, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (var prune = new NpgsqlCommand("DELETE FROM ingest.sign_in_failure WHERE at < $1", connection))
        {
            prune.Parameters.AddWithValue(now - TimeSpan.FromDays(1));
            await prune.ExecuteNonQueryAsync(ct);
        }

        long id;
        await using (var insert = new NpgsqlCommand("INSERT INTO ingest.sign_in_failure (at, address, login) VALUES ($1, $2, lower($3)) RETURNING id", connection))
        {
            insert.Parameters.AddWithValue(now);
            insert.Parameters.AddWithValue(address);
            insert.Parameters.AddWithValue(login.Trim());
            id = (long)(await insert.ExecuteScalarAsync(ct))!;
        }

        await using var count = new NpgsqlCommand("SELECT count(*) FROM ingest.sign_in_failure WHERE address = $1 AND at > $2", connection);
        count.Parameters.AddWithValue(address);
        count.Parameters.AddWithValue(since);
        return (id, (long)(await count.ExecuteScalarAsync(ct))!);
    }

    /// <summary>Whether <paramref name="address"/> has another failed (or unfinished) try as <paramref name="login"/> since <paramref name="since"/>.</summary>
    public async Task<bool> HasFailedFromAsync(string login, string address, long besides, DateTimeOffset since, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT EXISTS (SELECT 1 FROM ingest.sign_in_failure WHERE login = lower($1) AND address = $2 AND at > $3 AND id <> $4)");
        command.Parameters.AddWithValue(login.Trim());
        command.Parameters.AddWithValue(address);
        command.Parameters.AddWithValue(since);
        command.Parameters.AddWithValue(besides);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>A try kept by <see cref="RecordTryAsync"/> succeeded: it is no failure.</summary>
    public async Task ForgiveAsync(long tryId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM ingest.sign_in_failure WHERE id = $1");
        command.Parameters.AddWithValue(tryId);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Records a successful sign-in: the failures and locks reset, the time kept; a rehashed password replaces the old hash.</summary>
    public async Task RecordSuccessAsync(long id, string? rehashed, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE ingest.account SET failed_sign_ins = 0, locked_until = NULL, locks = 0, last_sign_in_at = $2, password_hash = coalesce($3, password_hash)
            WHERE id = $1
            """);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(clock.GetUtcNow());
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)rehashed ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Starts a browser session of the account, ending at <paramref name="expires"/> whatever its use.</summary>
    public async Task<Guid> StartSessionAsync(long accountId, string? address, DateTimeOffset expires, CancellationToken ct)
    {
        var id = Guid.NewGuid();
        await using var command = dataSource.CreateCommand("INSERT INTO ingest.session (id, account_id, created_at, expires_at, address) VALUES ($1, $2, $3, $4, $5)");
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(accountId);
        command.Parameters.AddWithValue(clock.GetUtcNow());
        command.Parameters.AddWithValue(expires);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)address ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(ct);
        return id;
    }

    /// <summary>Whether a session of the account is still open: not ended by sign-out and within its absolute lifetime.</summary>
    public async Task<bool> SessionOpenAsync(Guid id, long accountId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM ingest.session WHERE id = $1 AND account_id = $2 AND ended_at IS NULL AND expires_at > $3)");
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(accountId);
        command.Parameters.AddWithValue(clock.GetUtcNow());
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Ends a session: its cookie, wherever it was copied to, is refused from now on. Sessions ended a week ago are removed.</summary>
    public async Task EndSessionAsync(Guid id, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("UPDATE ingest.session SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL")
        {
            Parameters = { new() { Value = id }, new() { Value = now } },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM ingest.session WHERE expires_at < $1") { Parameters = { new() { Value = now - TimeSpan.FromDays(7) } } });
        await batch.ExecuteNonQueryAsync(ct);
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
