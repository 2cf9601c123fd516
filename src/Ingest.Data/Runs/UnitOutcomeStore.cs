using Ingest.Core.Connectors;
using Ingest.Data.Facts;
using Ingest.Data.Organisations;
using Npgsql;

namespace Ingest.Data.Runs;

/// <summary>
/// How a unit ends: committed with its facts, organisations and stream reports in one transaction that turns its row
/// <c>succeeded</c> (its checkpoint), or failed with the reason; and what a stream reported the night before.
/// </summary>
public sealed partial class UnitOutcomeStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    // Npgsql writes timestamptz from UTC values only.
    private DateTimeOffset Now => clock.GetUtcNow().ToUniversalTime();

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
            RunStore.AddKey(claim, unit);
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
            RunStore.AddKey(finish, unit);
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
        RunStore.AddKey(command, unit);
        command.Parameters.AddWithValue(error);
        command.Parameters.AddWithValue(Now);
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = owner });
        await command.ExecuteNonQueryAsync(cancellationToken);
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
        RunStore.AddKey(command, unit);
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
}
