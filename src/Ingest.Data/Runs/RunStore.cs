using Ingest.Core.Connectors;
using Ingest.Data.Facts;
using Ingest.Data.Organisations;
using Npgsql;

namespace Ingest.Data.Runs;

/// <summary>
/// Ingestion runs and their units. A unit's row is its checkpoint: it turns <c>succeeded</c> in the same
/// transaction that writes the unit's facts, so a repeated job finds it done and a crash leaves nothing half-written.
/// </summary>
public sealed class RunStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    // Npgsql writes timestamptz from UTC values only.
    private DateTimeOffset Now => clock.GetUtcNow().ToUniversalTime();

    public async Task<long> CreateRunAsync(RunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // ON CONFLICT … DO UPDATE (a no-op) so RETURNING also yields the existing run's id.
        const string sql = """
            INSERT INTO ingest.run AS r (trigger, cycle, periods, counties, connectors, started_at, host, dedupe_key, backfill, runner)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO UPDATE SET dedupe_key = r.dedupe_key
            RETURNING id
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue(request.Trigger);
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = request.Cycle });
        command.Parameters.AddWithValue(request.Periods.ToArray());
        command.Parameters.Add(new NpgsqlParameter<string[]?> { TypedValue = request.Counties?.ToArray() });
        command.Parameters.AddWithValue(request.Connectors.ToArray());
        command.Parameters.AddWithValue(Now);
        command.Parameters.AddWithValue(request.Host);
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = request.DedupeKey });
        command.Parameters.AddWithValue(request.Backfill);
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = request.Runner });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Registers the units a run fans out to (idempotent).</summary>
    public Task AddUnitsAsync(IReadOnlyCollection<UnitKey> units, CancellationToken cancellationToken) => AddUnitsAsync(units, null, cancellationToken);

    /// <summary>
    /// Registers the units a run fans out to (idempotent), and with <paramref name="startedBy"/> the audit line of the
    /// person who started the run, in the same transaction: a run a person planned is never without its line.
    /// </summary>
    public async Task AddUnitsAsync(IReadOnlyCollection<UnitKey> units, (Audit.Actor By, Audit.AuditEvent What)? startedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(units);
        const string sql = """
            INSERT INTO ingest.run_unit (run_id, connector, county_code, period)
            SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[])
            ON CONFLICT DO NOTHING
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(sql, connection, tx))
        {
            command.Parameters.AddWithValue(units.Select(u => u.RunId).ToArray());
            command.Parameters.AddWithValue(units.Select(u => u.Connector).ToArray());
            command.Parameters.AddWithValue(units.Select(u => u.CountyCode).ToArray());
            command.Parameters.AddWithValue(units.Select(u => u.Period).ToArray());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        if (startedBy is var (by, what))
        {
            await Audit.AuditStore.AppendAsync(connection, tx, by, what, Now, cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
    }

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
        AddKey(command, unit);
        command.Parameters.AddWithValue(Now);
        command.Parameters.AddWithValue(owner);
        command.Parameters.AddWithValue(lease);
        if (await command.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return UnitClaim.Claimed;
        }

        await using var status = dataSource.CreateCommand(
            "SELECT status FROM ingest.run_unit WHERE run_id = $1 AND connector = $2 AND county_code = $3 AND period = $4");
        AddKey(status, unit);
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
        AddKey(command, unit);
        command.Parameters.AddWithValue(owner);
        command.Parameters.AddWithValue(lease);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Whether the run has units of the connector for the county and none of them has finished yet.</summary>
    public async Task<bool> AllUnfinishedAsync(long runId, string connector, string countyCode, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT count(*) > 0 AND count(*) FILTER (WHERE status NOT IN ('pending', 'running')) = 0
            FROM ingest.run_unit WHERE run_id = $1 AND connector = $2 AND county_code = $3
            """);
        command.Parameters.AddWithValue(runId);
        command.Parameters.AddWithValue(connector);
        command.Parameters.AddWithValue(countyCode);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Whether a unit of the run, connector and county has committed (its organisations and facts are stored).</summary>
    public async Task<bool> CommittedAnyAsync(long runId, string connector, string countyCode, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT EXISTS (SELECT 1 FROM ingest.run_unit WHERE run_id = $1 AND connector = $2 AND county_code = $3 AND status = 'succeeded')
            """);
        command.Parameters.AddWithValue(runId);
        command.Parameters.AddWithValue(connector);
        command.Parameters.AddWithValue(countyCode);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
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

    /// <summary>
    /// Commits a unit in one transaction: organisations, facts (with history), stream reports and the
    /// unit's checkpoint. Returns null when another worker committed the unit first.
    /// </summary>
    public async Task<UnitOutcome?> CommitUnitAsync(UnitKey unit, CountyBatch batch, CancellationToken cancellationToken) =>
        await CommitUnitAsync(unit, batch, null, cancellationToken);

    /// <summary>
    /// Commits a unit in one transaction, as the holder of its lease when <paramref name="owner"/> is given: null when
    /// another worker committed it first or took it over after this one's lease ran out (nothing is written then).
    /// </summary>
    public async Task<UnitOutcome?> CommitUnitAsync(UnitKey unit, CountyBatch batch, string? owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(batch);
        var now = Now;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The row lock makes concurrent commits of one unit take turns; the second sees 'succeeded' and stops.
        await using (var claim = new NpgsqlCommand("""
            SELECT status, lease_owner FROM ingest.run_unit
            WHERE run_id = $1 AND connector = $2 AND county_code = $3 AND period = $4 FOR UPDATE
            """, connection, transaction))
        {
            AddKey(claim, unit);
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new InvalidOperationException($"{unit} was never started.");
            }

            var (status, holder) = (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
            if (status == UnitStatus.Succeeded || (owner is not null && (status != UnitStatus.Running || holder != owner)))
            {
                return null;
            }
        }

        await OrganisationStore.UpsertAsync(connection, transaction, batch.Organisations, now, cancellationToken);
        var written = await FactStore.WriteAsync(connection, transaction, batch.Facts, unit.RunId, now, cancellationToken);
        await WriteReportsAsync(connection, transaction, unit, batch.Streams, now, cancellationToken);
        var failed = batch.Streams.Where(s => s.Status == StreamStatus.Failed).ToArray();
        var unitStatus = failed.Length == 0 ? UnitStatus.Succeeded : UnitStatus.Failed;
        var error = failed.Length == 0 ? null : string.Join("; ", failed.Select(s => $"{s.Stream}: {s.Note}"));
        await using (var finish = new NpgsqlCommand("""
            UPDATE ingest.run_unit SET status = $5, facts_inserted = $6, facts_updated = $7, facts_unchanged = $8,
                                       error = $9, finished_at = $10, lease_expires_at = NULL
            WHERE run_id = $1 AND connector = $2 AND county_code = $3 AND period = $4
            """, connection, transaction))
        {
            AddKey(finish, unit);
            finish.Parameters.AddWithValue(unitStatus);
            finish.Parameters.AddWithValue(written.Inserted);
            finish.Parameters.AddWithValue(written.Updated);
            finish.Parameters.AddWithValue(written.Unchanged);
            finish.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = error });
            finish.Parameters.AddWithValue(now);
            await finish.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new UnitOutcome(unit, unitStatus, written.Inserted, written.Updated, written.Unchanged, error);
    }

    /// <summary>
    /// Records that a unit failed as a whole; nothing of it was written. With <paramref name="owner"/>, only while that
    /// worker holds the unit: a duplicate never marks a unit another worker is running as failed.
    /// </summary>
    public async Task FailUnitAsync(UnitKey unit, string error, CancellationToken cancellationToken, string? owner = null)
    {
        ArgumentNullException.ThrowIfNull(unit);
        await using var command = dataSource.CreateCommand("""
            UPDATE ingest.run_unit SET status = 'failed', error = $5, finished_at = $6, lease_expires_at = NULL
            WHERE run_id = $1 AND connector = $2 AND county_code = $3 AND period = $4 AND status <> 'succeeded'
              AND ($7::text IS NULL OR (status = 'running' AND lease_owner = $7))
            """);
        AddKey(command, unit);
        command.Parameters.AddWithValue(error);
        command.Parameters.AddWithValue(Now);
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = owner });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Whether every unit of the run has finished (succeeded or failed): the caller then rolls the run up and completes
    /// it. Two units finishing together may both see it; the roll-up and the completion are idempotent.
    /// </summary>
    public async Task<bool> AllUnitsDoneAsync(long runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT NOT EXISTS (SELECT 1 FROM ingest.run_unit WHERE run_id = $1 AND status IN ('pending', 'running'))
            """);
        command.Parameters.AddWithValue(runId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Closes the run when none of its units is pending or running: succeeded when all succeeded, failed when
    /// none did, partial otherwise. Returns the status, or null while units remain. Recomputed each time, so a
    /// unit requeued from the dashboard and then succeeding moves a partial run on.
    /// </summary>
    public async Task<string?> CompleteRunIfDoneAsync(long runId, string? note, CancellationToken cancellationToken)
    {
        const string sql = """
            WITH units AS (
                SELECT count(*) FILTER (WHERE status IN ('pending', 'running')) AS open,
                       count(*) FILTER (WHERE status = 'succeeded') AS ok,
                       count(*) AS total
                FROM ingest.run_unit WHERE run_id = $1)
            UPDATE ingest.run r
            SET status = CASE WHEN units.ok = units.total AND units.total > 0 THEN 'succeeded'
                              WHEN units.ok = 0 THEN 'failed' ELSE 'partial' END,
                finished_at = $2, note = coalesce($3, r.note)
            FROM units
            WHERE r.id = $1 AND units.open = 0
            RETURNING r.status
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue(runId);
        command.Parameters.AddWithValue(Now);
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = note });
        return (string?)await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>The (connector, period) pairs of a run with at least one committed unit.</summary>
    public async Task<IReadOnlyList<(string Connector, string Period)>> CommittedScopesAsync(long runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT DISTINCT connector, period FROM ingest.run_unit WHERE run_id = $1 AND status = 'succeeded' ORDER BY 1, 2
            """);
        command.Parameters.AddWithValue(runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var scopes = new List<(string, string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            scopes.Add((reader.GetString(0), reader.GetString(1)));
        }

        return scopes;
    }

    /// <summary>The report of the latest earlier run that read this stream for the county and period.</summary>
    public async Task<StreamReport?> PreviousReportAsync(long beforeRunId, string connector, string stream, string countyCode, string period,
        CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT stream, status, pages, rows_read, rows_kept, facts_emitted, note
            FROM ingest.run_stream
            WHERE connector = $1 AND stream = $2 AND county_code = $3 AND period = $4 AND run_id < $5 AND status <> 'failed'
              -- A stream flagged with its facts withheld is no baseline: the next silent night must be flagged too.
              AND NOT (status = 'flagged' AND facts_emitted = 0)
            ORDER BY run_id DESC LIMIT 1
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue(connector);
        command.Parameters.AddWithValue(stream);
        command.Parameters.AddWithValue(countyCode);
        command.Parameters.AddWithValue(period);
        command.Parameters.AddWithValue(beforeRunId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new StreamReport(reader.GetString(0), ParseStatus(reader.GetString(1)), reader.GetInt32(2), reader.GetInt64(3),
            reader.GetInt64(4), reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetString(6));
    }

    /// <summary>Marks the run as alerted; true for the one caller that marked it, false when it already was.</summary>
    public async Task<bool> MarkAlertedAsync(long runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE ingest.run SET alerted_at = $2 WHERE id = $1 AND alerted_at IS NULL");
        command.Parameters.AddWithValue(runId);
        command.Parameters.AddWithValue(Now);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static async Task WriteReportsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, UnitKey unit,
        IReadOnlyList<StreamReport> reports, DateTimeOffset now, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO ingest.run_stream (run_id, connector, county_code, period, stream, status, pages, rows_read, rows_kept,
                                           facts_emitted, note, recorded_at, pages_needed)
            SELECT $1, $2, $3, $4, s.stream, s.status, s.pages, s.rows_read, s.rows_kept, s.facts_emitted, s.note, $12, s.pages_needed
            FROM unnest($5::text[], $6::text[], $7::integer[], $8::bigint[], $9::bigint[], $10::integer[], $11::text[], $13::integer[])
                 AS s(stream, status, pages, rows_read, rows_kept, facts_emitted, note, pages_needed)
            ON CONFLICT (run_id, connector, county_code, period, stream) DO UPDATE SET
                status = excluded.status, pages = excluded.pages, rows_read = excluded.rows_read, rows_kept = excluded.rows_kept,
                facts_emitted = excluded.facts_emitted, note = excluded.note, recorded_at = excluded.recorded_at, pages_needed = excluded.pages_needed
            """;
        if (reports.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(sql, connection, transaction);
        AddKey(command, unit);
        command.Parameters.AddWithValue(reports.Select(r => r.Stream).ToArray());
        command.Parameters.AddWithValue(reports.Select(r => StatusName(r.Status)).ToArray());
        command.Parameters.AddWithValue(reports.Select(r => r.Pages).ToArray());
        command.Parameters.AddWithValue(reports.Select(r => r.RowsRead).ToArray());
        command.Parameters.AddWithValue(reports.Select(r => r.RowsKept).ToArray());
        command.Parameters.AddWithValue(reports.Select(r => r.FactsEmitted).ToArray());
        command.Parameters.AddWithValue(reports.Select(r => r.Note).ToArray());
        command.Parameters.AddWithValue(now);
        command.Parameters.Add(new NpgsqlParameter { Value = reports.Select(r => r.PagesNeeded).ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Integer });
        await command.ExecuteNonQueryAsync(ct);
    }

    private static void AddKey(NpgsqlCommand command, UnitKey unit)
    {
        command.Parameters.AddWithValue(unit.RunId);
        command.Parameters.AddWithValue(unit.Connector);
        command.Parameters.AddWithValue(unit.CountyCode);
        command.Parameters.AddWithValue(unit.Period);
    }

    internal static string StatusName(StreamStatus status) => status switch
    {
        StreamStatus.Succeeded => "succeeded",
        StreamStatus.Flagged => "flagged",
        _ => "failed",
    };

    private static StreamStatus ParseStatus(string status) => status switch
    {
        "succeeded" => StreamStatus.Succeeded,
        "flagged" => StreamStatus.Flagged,
        _ => StreamStatus.Failed,
    };
}
