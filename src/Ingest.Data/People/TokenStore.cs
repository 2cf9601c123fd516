using Ingest.Data.Audit;
using Npgsql;

namespace Ingest.Data.People;

/// <summary>A token as listed: never the token itself, which is shown once when it is created.</summary>
/// <remarks>
/// <see cref="Account"/> is the login the token belongs to (null for a machine token made at the command line without
/// one); <see cref="AccountDisabled"/> whether that account is disabled, which stops the token.
/// </remarks>
public sealed record TokenView(long Id, string Name, string Role, string Scope, string Prefix, DateTimeOffset CreatedAt, string CreatedBy,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, string? RevokedBy, DateTimeOffset ExpiresAt, string? Account,
    bool AccountDisabled);

/// <summary>API tokens in PostgreSQL, kept as their SHA-256. Every change appends its audit row in the same transaction.</summary>
public sealed class TokenStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>How often the last use of a token is written: not on every request of a busy script.</summary>
    public static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    private const string Columns = "t.id, t.name, t.role, t.scope, t.prefix, t.created_at, t.created_by, t.last_used_at, t.revoked_at, t.revoked_by, "
        + "t.expires_at, a.login, coalesce(a.disabled, false)";

    private const string From = "ingest.api_token t LEFT JOIN ingest.account a ON a.id = t.account_id";

    /// <summary>Creates a token that lasts until <paramref name="expires"/>, belonging to the account <paramref name="accountId"/> if given.</summary>
    public async Task<TokenView> CreateAsync(string name, string role, string scope, byte[] hash, string prefix, DateTimeOffset expires, long? accountId, Actor by,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(by);
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand("""
            INSERT INTO ingest.api_token (name, role, scope, token_hash, prefix, created_at, created_by, expires_at, account_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
            """, connection, tx);
        command.Parameters.AddWithValue(name.Trim());
        command.Parameters.AddWithValue(role);
        command.Parameters.AddWithValue(scope);
        command.Parameters.AddWithValue(hash);
        command.Parameters.AddWithValue(prefix);
        command.Parameters.AddWithValue(now);
        command.Parameters.AddWithValue(by.Name);
        command.Parameters.AddWithValue(expires);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)accountId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        var id = (long)(await command.ExecuteScalarAsync(ct))!;
        await AuditStore.AppendAsync(connection, tx, by,
            new AuditEvent(AuditActions.TokenCreate, scope, id.ToString(System.Globalization.CultureInfo.InvariantCulture), null, new { name = name.Trim(), role, scope, prefix, expires, accountId }),
            now, ct);
        var view = (await FindByIdAsync(id, connection, tx, ct))!;
        await tx.CommitAsync(ct);
        return view;
    }

    /// <summary>The token whose SHA-256 is <paramref name="hash"/>, revoked or not, or null.</summary>
    public async Task<TokenView?> FindByHashAsync(byte[] hash, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM {From} WHERE t.token_hash = $1");
        command.Parameters.AddWithValue(hash);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    /// <summary>Records that a token was used now, at most once per <see cref="TouchInterval"/>.</summary>
    public async Task TouchAsync(long id, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var command = dataSource.CreateCommand("UPDATE ingest.api_token SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)");
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(now);
        command.Parameters.AddWithValue(now - TouchInterval);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Every token, newest first.</summary>
    public async Task<IReadOnlyList<TokenView>> ListAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM {From} ORDER BY t.id DESC");
        var rows = new List<TokenView>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(Read(reader));
        }

        return rows;
    }

    /// <summary>Revokes a token: refused from the next request on.</summary>
    /// <exception cref="AccountException">No such token, or it was revoked already.</exception>
    public async Task RevokeAsync(long id, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(by);
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand(
            "UPDATE ingest.api_token SET revoked_at = $2, revoked_by = $3 WHERE id = $1 AND revoked_at IS NULL RETURNING name, scope", connection, tx);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(now);
        command.Parameters.AddWithValue(by.Name);
        string name, scope;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                throw new AccountException($"没有编号为 {id} 的有效令牌（不存在或已吊销）");
            }

            (name, scope) = (reader.GetString(0), reader.GetString(1));
        }

        await AuditStore.AppendAsync(connection, tx, by,
            new AuditEvent(AuditActions.TokenRevoke, scope, id.ToString(System.Globalization.CultureInfo.InvariantCulture), new { name, revoked = false }, new { name, revoked = true }),
            now, ct);
        await tx.CommitAsync(ct);
    }

    private static async Task<TokenView?> FindByIdAsync(long id, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM {From} WHERE t.id = $1", connection, tx);
        command.Parameters.AddWithValue(id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    private static TokenView Read(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetFieldValue<DateTimeOffset>(5), r.GetString(6),
            r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7), r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8), r.IsDBNull(9) ? null : r.GetString(9),
            r.GetFieldValue<DateTimeOffset>(10), r.IsDBNull(11) ? null : r.GetString(11), r.GetBoolean(12));
}
