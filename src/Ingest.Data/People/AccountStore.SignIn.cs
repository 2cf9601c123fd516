using Npgsql;
using NpgsqlTypes;

namespace Ingest.Data.People;

public sealed partial class AccountStore
{
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
}
