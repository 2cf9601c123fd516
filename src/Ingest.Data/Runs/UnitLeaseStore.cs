using Npgsql;

namespace Ingest.Data.Runs;

/// <summary>
/// Who works on a unit: a worker claims a unit with a lease and renews it while it reads; a unit whose lease ran out, or
/// whose worker's process is gone, is marked interrupted so that its run can end.
/// </summary>
public sealed class UnitLeaseStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    // Npgsql writes timestamptz from UTC values only.
    private DateTimeOffset Now => clock.GetUtcNow().ToUniversalTime();

    /// <summary>
    /// Claims a unit for <paramref name="owner"/> with a lease of <paramref name="lease"/> (on the database's clock, the
    /// one clock every host shares): <see cref="UnitClaim.Done"/> when it already succeeded, <see cref="UnitClaim.Held"/>
    /// when another worker's lease on it is still live.
    /// </summary>
    public async Task<UnitClaim> StartUnitAsync(UnitKey unit, string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        const string sql = """
            INSERT INTO ingest.run_unit AS u (run_id, connector, county_code, period, status, attempts, started_at, lease_owner, lease_expires_at)
            VALUES ($1, $2, $3, $4, 'running', 1, $5, $6, now() + $7)
            ON CONFLICT (run_id, connector, county_code, period) DO UPDATE
                SET status = 'running', attempts = u.attempts + 1, started_at = excluded.started_at, error = NULL, finished_at = NULL,
                    lease_owner = excluded.lease_owner, lease_expires_at = excluded.lease_expires_at
                WHERE u.status <> 'succeeded' AND NOT (u.status = 'running' AND u.lease_expires_at > now())
            RETURNING 1
            """;
        await using var command = dataSource.CreateCommand(sql);
        RunStore.AddKey(command, unit);
        command.Parameters.AddWithValue(Now);
        command.Parameters.AddWithValue(owner);
        command.Parameters.AddWithValue(lease);
        if (await command.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return UnitClaim.Claimed;
        }

        await using var status = dataSource.CreateCommand(
            "SELECT status FROM ingest.run_unit WHERE run_id = $1 AND connector = $2 AND county_code = $3 AND period = $4");
        RunStore.AddKey(status, unit);
        return (string?)await status.ExecuteScalarAsync(cancellationToken) == UnitStatus.Succeeded ? UnitClaim.Done : UnitClaim.Held;
    }

    /// <summary>The workers holding running units, and the processes driving open runs themselves (<c>host/process/…</c>).</summary>
    public async Task<IReadOnlyList<string>> RunningOwnersAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT DISTINCT lease_owner FROM ingest.run_unit WHERE status = 'running' AND lease_owner IS NOT NULL
            UNION
            SELECT DISTINCT runner FROM ingest.run WHERE status = 'running' AND runner IS NOT NULL
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var owners = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            owners.Add(reader.GetString(0));
        }

        return owners;
    }

    /// <summary>Extends <paramref name="owner"/>'s lease on a running unit; false when it holds the lease no more.</summary>
    public async Task<bool> RenewLeaseAsync(UnitKey unit, string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        await using var command = dataSource.CreateCommand("""
            UPDATE ingest.run_unit SET lease_expires_at = now() + $6
            WHERE run_id = $1 AND connector = $2 AND county_code = $3 AND period = $4 AND status = 'running' AND lease_owner = $5
            """);
        RunStore.AddKey(command, unit);
        command.Parameters.AddWithValue(owner);
        command.Parameters.AddWithValue(lease);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Marks every running unit whose lease ran out as interrupted, with the reason (a unit from before leases, running
    /// longer than <paramref name="orphanedAfter"/>, too). Returns the runs they belong to: each completes once settled.
    /// </summary>
    public Task<IReadOnlyList<long>> InterruptExpiredAsync(TimeSpan orphanedAfter, CancellationToken cancellationToken) =>
        InterruptExpiredAsync(orphanedAfter, [], cancellationToken);

    /// <summary>The same, and the units held by <paramref name="deadOwners"/> (workers known to be gone) whatever their lease says.</summary>
    public async Task<IReadOnlyList<long>> InterruptExpiredAsync(TimeSpan orphanedAfter, IReadOnlyCollection<string> deadOwners, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE ingest.run_unit
            SET status = 'interrupted', finished_at = $1, lease_expires_at = NULL,
                error = CASE WHEN lease_owner IS NULL THEN '中断：执行本单元的进程已停止，本单元未写入任何数据'
                             ELSE format('中断：执行本单元的进程（%s）已停止，租约于 %s 过期；本单元未写入任何数据',
                                         lease_owner, to_char(lease_expires_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS')) END
            WHERE status = 'running'
              AND (lease_expires_at < now() OR (lease_expires_at IS NULL AND started_at < now() - $2) OR lease_owner = ANY($3))
            RETURNING run_id
            """);
        command.Parameters.AddWithValue(Now);
        command.Parameters.AddWithValue(orphanedAfter);
        command.Parameters.AddWithValue(deadOwners.ToArray());
        var runIds = new SortedSet<long>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                runIds.Add(reader.GetInt64(0));
            }
        }

        // The units a dead runner had not started: nobody else will (its runs have no jobs queued), so they end too.
        await using var pending = dataSource.CreateCommand("""
            UPDATE ingest.run_unit u
            SET status = 'interrupted', finished_at = $1,
                error = format('未开始：发起本批次的进程（%s）已停止，本单元未读取', r.runner)
            FROM ingest.run r
            WHERE u.run_id = r.id AND u.status = 'pending' AND r.runner IS NOT NULL
              AND (r.runner = ANY($2)
                   OR (r.started_at < now() - $3
                       AND NOT EXISTS (SELECT 1 FROM ingest.run_unit x WHERE x.run_id = r.id AND x.status = 'running')))
            RETURNING u.run_id
            """);
        pending.Parameters.AddWithValue(Now);
        pending.Parameters.AddWithValue(deadOwners.ToArray());
        pending.Parameters.AddWithValue(orphanedAfter);
        await using (var reader = await pending.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                runIds.Add(reader.GetInt64(0));
            }
        }

        return [.. runIds];
    }
}
