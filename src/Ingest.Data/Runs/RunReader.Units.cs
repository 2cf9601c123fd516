using Npgsql;

namespace Ingest.Data.Runs;

public sealed partial class RunReader
{
    /// <summary>The units of a run with their streams, by connector, county and period.</summary>
    public Task<IReadOnlyList<UnitView>> ListUnitsAsync(long runId, CancellationToken cancellationToken) => ListUnitsAsync(runId, null, cancellationToken);

    /// <summary>The units of a run with their streams; with <paramref name="county"/>, that county's only.</summary>
    public async Task<IReadOnlyList<UnitView>> ListUnitsAsync(long runId, string? county, CancellationToken cancellationToken)
    {
        var streams = new Dictionary<(string, string, string), List<UnitStreamView>>();
        await using (var command = dataSource.CreateCommand("""
            SELECT connector, county_code, period, stream, status, pages, rows_read, rows_kept, facts_emitted, note
            FROM ingest.run_stream WHERE run_id = $1 AND ($2::text IS NULL OR county_code = $2) ORDER BY stream
            """))
        {
            command.Parameters.AddWithValue(runId);
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)county ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
                if (!streams.TryGetValue(key, out var list))
                {
                    streams[key] = list = [];
                }

                list.Add(new UnitStreamView(reader.GetString(3), reader.GetString(4), reader.GetInt32(5), reader.GetInt64(6), reader.GetInt64(7),
                    reader.GetInt32(8), reader.IsDBNull(9) ? null : reader.GetString(9)));
            }
        }

        await using var units = dataSource.CreateCommand("""
            SELECT connector, county_code, period, status, attempts, facts_inserted, facts_updated, facts_unchanged, error, started_at, finished_at
            FROM ingest.run_unit WHERE run_id = $1 AND ($2::text IS NULL OR county_code = $2) ORDER BY connector, county_code, period
            """);
        units.Parameters.AddWithValue(runId);
        units.Parameters.Add(new NpgsqlParameter { Value = (object?)county ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var result = new List<UnitView>();
        await using (var reader = await units.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
                result.Add(new UnitView(key.Item1, key.Item2, key.Item3, reader.GetString(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6),
                    reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetString(8),
                    reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9), reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
                    streams.GetValueOrDefault(key) ?? []));
            }
        }

        return result;
    }

    /// <summary>The units of a run that failed or were interrupted, with their reasons.</summary>
    public async Task<IReadOnlyList<UnitKeyedError>> FailedUnitsAsync(long runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT connector, county_code, period, status, coalesce(error, '') FROM ingest.run_unit
            WHERE run_id = $1 AND status IN ('failed', 'interrupted') ORDER BY connector, county_code, period
            """);
        command.Parameters.AddWithValue(runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var failed = new List<UnitKeyedError>();
        while (await reader.ReadAsync(cancellationToken))
        {
            failed.Add(new UnitKeyedError(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }

        return failed;
    }

    /// <summary>
    /// For every connector and county that has ever had a unit: its last success, and a failure that came after it. A
    /// backfill (a past period re-read on request) says nothing of last night, so it is left out.
    /// </summary>
    public async Task<IReadOnlyList<Freshness>> FreshnessAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT k.connector, k.county_code, s.finished_at, s.run_id, f.finished_at, f.error
            FROM (SELECT DISTINCT u.connector, u.county_code FROM ingest.run_unit u JOIN ingest.run r ON r.id = u.run_id AND NOT r.backfill) k
            LEFT JOIN LATERAL (SELECT u.finished_at, u.run_id FROM ingest.run_unit u JOIN ingest.run r ON r.id = u.run_id AND NOT r.backfill
                               WHERE u.connector = k.connector AND u.county_code = k.county_code AND u.status = 'succeeded'
                               ORDER BY u.finished_at DESC LIMIT 1) s ON true
            LEFT JOIN LATERAL (SELECT u.finished_at, u.error FROM ingest.run_unit u JOIN ingest.run r ON r.id = u.run_id AND NOT r.backfill
                               WHERE u.connector = k.connector AND u.county_code = k.county_code AND u.status IN ('failed', 'interrupted')
                                 AND (s.finished_at IS NULL OR u.finished_at > s.finished_at)
                               ORDER BY u.finished_at DESC LIMIT 1) f ON true
            ORDER BY k.connector, k.county_code
            """);
        var rows = new List<Freshness>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new Freshness(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return rows;
    }
}
