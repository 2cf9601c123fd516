using Npgsql;

namespace Ingest.Data.Runs;

/// <summary>
/// The ledger of ingestion runs: a run and its units registered, whether all are settled, its completion and its alert.
/// A unit's lease is <see cref="UnitLeaseStore"/>'s; how it ends (committed with its checkpoint, or failed) is
/// <see cref="UnitOutcomeStore"/>'s; what people read of runs is <see cref="RunReader"/>'s.
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

    /// <summary>Marks the run as alerted; true for the one caller that marked it, false when it already was.</summary>
    public async Task<bool> MarkAlertedAsync(long runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE ingest.run SET alerted_at = $2 WHERE id = $1 AND alerted_at IS NULL");
        command.Parameters.AddWithValue(runId);
        command.Parameters.AddWithValue(Now);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    internal static void AddKey(NpgsqlCommand command, UnitKey unit)
    {
        command.Parameters.AddWithValue(unit.RunId);
        command.Parameters.AddWithValue(unit.Connector);
        command.Parameters.AddWithValue(unit.CountyCode);
        command.Parameters.AddWithValue(unit.Period);
    }

}
