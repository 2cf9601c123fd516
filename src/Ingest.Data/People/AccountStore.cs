using Ingest.Data.Audit;
using Npgsql;

namespace Ingest.Data.People;

/// <summary>Accounts in PostgreSQL. Every change appends its audit row in the same transaction.</summary>
public sealed partial class AccountStore(NpgsqlDataSource dataSource, TimeProvider clock)
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
