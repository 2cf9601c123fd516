using Npgsql;

namespace Ingest.Data.Runs;

/// <summary>
/// Runs as people read them: the runs and their units for the operations pages, the API and the CLI, the failed units of
/// a run for its alert, and each connector's freshness per county. The ledger that writes them is <see cref="RunStore"/>.
/// </summary>
public sealed partial class RunReader(NpgsqlDataSource dataSource)
{
    /// <summary>The runs of <paramref name="ids"/> that exist, oldest first.</summary>
    public async Task<IReadOnlyList<RunHeader>> FindRunsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, trigger, cycle, status, started_at, finished_at, backfill FROM ingest.run WHERE id = ANY($1) ORDER BY id");
        command.Parameters.AddWithValue(ids.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<RunHeader>();
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(new RunHeader(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.GetBoolean(6)));
        }

        return runs;
    }

    /// <summary>The latest runs, newest first, with per-stream totals.</summary>
    public Task<IReadOnlyList<RunSummary>> ListRunsAsync(int limit, CancellationToken cancellationToken) => ListRunsAsync(limit, null, null, cancellationToken);

    /// <summary>
    /// The latest runs, newest first. With <paramref name="county"/>: only the runs that read the county, each counted
    /// over the county's units and streams alone, its status as the county saw it and no run note (which may name
    /// other counties).
    /// </summary>
    public Task<IReadOnlyList<RunSummary>> ListRunsAsync(int limit, string? county, CancellationToken cancellationToken) =>
        ListRunsAsync(limit, county, null, cancellationToken);

    /// <summary>One run as <see cref="ListRunsAsync(int, string?, CancellationToken)"/> shows it; null when there is none (for the county).</summary>
    public async Task<RunSummary?> FindRunAsync(long id, string? county, CancellationToken cancellationToken) =>
        (await ListRunsAsync(1, county, id, cancellationToken)).SingleOrDefault();

    private async Task<IReadOnlyList<RunSummary>> ListRunsAsync(int limit, string? county, long? id, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT r.id, r.trigger, r.cycle, r.status, r.started_at, r.finished_at,
                   count(u.run_id), count(*) FILTER (WHERE u.status = 'succeeded'), count(*) FILTER (WHERE u.status IN ('failed', 'interrupted')),
                   r.note, r.backfill
            FROM (SELECT * FROM ingest.run r0
                  WHERE ($3::bigint IS NULL OR r0.id = $3)
                    AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM ingest.run_unit x WHERE x.run_id = r0.id AND x.county_code = $2))
                  ORDER BY id DESC LIMIT $1) r
            LEFT JOIN ingest.run_unit u ON u.run_id = r.id AND ($2::text IS NULL OR u.county_code = $2)
            GROUP BY r.id, r.trigger, r.cycle, r.status, r.started_at, r.finished_at, r.note, r.backfill
            ORDER BY r.id DESC
            """;
        const string streamsSql = """
            SELECT run_id, connector, stream, count(DISTINCT county_code), count(*) FILTER (WHERE status = 'failed'),
                   count(*) FILTER (WHERE status = 'flagged'), sum(pages), sum(rows_read), sum(rows_kept), sum(facts_emitted), sum(pages_needed)
            FROM ingest.run_stream WHERE run_id = ANY($1) AND ($2::text IS NULL OR county_code = $2)
            GROUP BY run_id, connector, stream ORDER BY connector, stream
            """;
        var runs = new List<(long Id, string Trigger, string? Cycle, string Status, DateTimeOffset Started, DateTimeOffset? Finished, int Units, int Ok, int Failed, string? Note,
            bool Backfill)>();
        await using (var command = dataSource.CreateCommand(sql))
        {
            command.Parameters.AddWithValue(limit);
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)county ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)id ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                runs.Add((reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                    reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                    (int)reader.GetInt64(6), (int)reader.GetInt64(7), (int)reader.GetInt64(8), reader.IsDBNull(9) ? null : reader.GetString(9), reader.GetBoolean(10)));
            }
        }

        var streams = new Dictionary<long, List<StreamSummary>>();
        await using (var command = dataSource.CreateCommand(streamsSql))
        {
            command.Parameters.AddWithValue(runs.Select(r => r.Id).ToArray());
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)county ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var runId = reader.GetInt64(0);
                if (!streams.TryGetValue(runId, out var list))
                {
                    streams[runId] = list = [];
                }

                list.Add(new StreamSummary(reader.GetString(1), reader.GetString(2), (int)reader.GetInt64(3), (int)reader.GetInt64(4),
                    (int)reader.GetInt64(5), reader.GetInt64(6), (long)reader.GetDecimal(7), (long)reader.GetDecimal(8), reader.GetInt64(9),
                    reader.IsDBNull(10) ? null : reader.GetInt64(10)));
            }
        }

        return runs.Select(r => new RunSummary(r.Id, r.Trigger, r.Cycle, county is null ? r.Status : CountyStatus(r.Status, r.Units, r.Failed),
            r.Started, r.Finished, r.Units, r.Ok, r.Failed, county is null ? r.Note : null, streams.GetValueOrDefault(r.Id) ?? [], r.Backfill)).ToArray();
    }

    /// <summary>A finished run's status over one county's units: another county's failure is not this county's.</summary>
    private static string CountyStatus(string status, int units, int failed) => status switch
    {
        "partial" or "failed" or "succeeded" when failed == 0 => "succeeded",
        "partial" or "failed" or "succeeded" => failed == units ? "failed" : "partial",
        _ => status,
    };
}
