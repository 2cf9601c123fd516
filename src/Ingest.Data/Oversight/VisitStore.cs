using System.Text.Json;
using Ingest.Core.Oversight;
using Ingest.Data.Audit;
using Npgsql;
using NpgsqlTypes;

namespace Ingest.Data.Oversight;

/// <summary>The county evaluation visits in PostgreSQL: one row per county and cycle, its 座谈交流 notes apart; every change audited.</summary>
public sealed class VisitStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The county's visit in the cycle (empty when nothing is recorded yet).</summary>
    public async Task<CountyVisit> GetAsync(string cycle, string countyCode, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var visit = CountyVisit.Empty(cycle, countyCode);
        await using (var command = new NpgsqlCommand("""
            SELECT report, report_source, report_by, report_at, data_run_id, data_as_of, data_by, data_at, seed, sample_size, population::text, sample::text, drawn_by, drawn_at
            FROM ingest.county_visit WHERE cycle = $1 AND county_code = $2
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = cycle });
            command.Parameters.Add(new NpgsqlParameter { Value = countyCode });
            await using var r = await command.ExecuteReaderAsync(ct);
            if (await r.ReadAsync(ct))
            {
                string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
                DateTimeOffset? T(int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
                SpotCheckCandidate[] L(int i) => r.IsDBNull(i) ? [] : JsonSerializer.Deserialize<SpotCheckCandidate[]>(r.GetString(i), Json)!;
                visit = new CountyVisit(cycle, countyCode, S(0), S(1), S(2), T(3), r.IsDBNull(4) ? null : r.GetInt64(4), T(5), S(6), T(7),
                    r.IsDBNull(8) ? null : r.GetInt64(8), r.IsDBNull(9) ? null : r.GetInt32(9), L(10), L(11), S(12), T(13), []);
            }
        }

        var notes = new List<VisitNote>();
        await using (var command = new NpgsqlCommand("""
            SELECT n.id, n.speaker, n.school_code, o.name, n.issue, n.recorded_by, n.recorded_at
            FROM ingest.county_visit_note n LEFT JOIN ingest.organisation o ON o.code = n.school_code
            WHERE n.cycle = $1 AND n.county_code = $2 ORDER BY n.id
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = cycle });
            command.Parameters.Add(new NpgsqlParameter { Value = countyCode });
            await using var r = await command.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                notes.Add(new VisitNote(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4),
                    r.GetString(5), r.GetFieldValue<DateTimeOffset>(6)));
            }
        }

        return visit with { Notes = notes };
    }

    /// <summary>Records the county's report (replacing an earlier one, which the audit line keeps).</summary>
    public Task SetReportAsync(CountyVisit before, string report, string source, Actor by, CancellationToken ct) =>
        UpsertAsync(before, "report = $3, report_source = $4, report_by = $5, report_at = $6", [report, source], by, AuditActions.VisitReport,
            before.Report is null ? null : new { before.Report, before.ReportSource }, new { report, source }, ct);

    /// <summary>Records the run whose end the data is read at (事前采集).</summary>
    public Task SetDataAsync(CountyVisit before, long runId, DateTimeOffset asOf, Actor by, CancellationToken ct) =>
        UpsertAsync(before, "data_run_id = $3, data_as_of = $4, data_by = $5, data_at = $6", [runId, asOf], by, AuditActions.VisitData,
            before.DataRunId is null ? null : new { run = before.DataRunId, asOf = before.DataAsOf }, new { run = runId, asOf }, ct);

    /// <summary>Records the schools drawn for 实地查看; false (nothing written) when they were drawn already.</summary>
    public async Task<bool> DrawAsync(CountyVisit before, long seed, int size, IReadOnlyList<SpotCheckCandidate> population, IReadOnlyList<SpotCheckCandidate> sample,
        Actor by, CancellationToken ct)
    {
        if (before.Seed is not null)
        {
            return false;
        }

        return await UpsertAsync(before, "seed = $3, sample_size = $4, population = $5::jsonb, sample = $6::jsonb, drawn_by = $7, drawn_at = $8",
            [seed, size, JsonSerializer.Serialize(population, Json), JsonSerializer.Serialize(sample, Json)], by, AuditActions.VisitDraw,
            null, new { seed, size, eligible = population.Count, drawn = sample.Select(s => s.Code).ToArray() }, ct, onlyIf: "county_visit.seed IS NULL");
    }

    /// <summary>Adds a note of the 座谈交流.</summary>
    public async Task AddNoteAsync(string cycle, string countyCode, string speaker, string? schoolCode, string issue, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(by);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        await using (var command = new NpgsqlCommand("""
            INSERT INTO ingest.county_visit_note (cycle, county_code, speaker, school_code, issue, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, connection, tx))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = cycle });
            command.Parameters.Add(new NpgsqlParameter { Value = countyCode });
            command.Parameters.Add(new NpgsqlParameter { Value = speaker });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)schoolCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = issue });
            command.Parameters.Add(new NpgsqlParameter { Value = by.Name });
            command.Parameters.Add(new NpgsqlParameter { Value = now });
            await command.ExecuteNonQueryAsync(ct);
        }

        await AuditStore.AppendAsync(connection, tx, by, new AuditEvent(AuditActions.VisitNote, countyCode, cycle, null, new { speaker, school = schoolCode, issue }), now, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Writes the named columns ($3 … the values, then who and when) of the visit's row, creating it; audited.</summary>
    private async Task<bool> UpsertAsync(CountyVisit before, string set, object[] values, Actor by, string action, object? old, object now, CancellationToken ct,
        string? onlyIf = null)
    {
        ArgumentNullException.ThrowIfNull(by);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var at = clock.GetUtcNow();
        await using (var command = new NpgsqlCommand(
            "INSERT INTO ingest.county_visit (cycle, county_code) VALUES ($1, $2) ON CONFLICT (cycle, county_code) DO NOTHING", connection, tx))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = before.Cycle });
            command.Parameters.Add(new NpgsqlParameter { Value = before.CountyCode });
            await command.ExecuteNonQueryAsync(ct);
        }

        await using (var command = new NpgsqlCommand(
            $"UPDATE ingest.county_visit SET {set} WHERE cycle = $1 AND county_code = $2" + (onlyIf is null ? string.Empty : " AND " + onlyIf), connection, tx))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = before.Cycle });
            command.Parameters.Add(new NpgsqlParameter { Value = before.CountyCode });
            foreach (var v in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = v });
            }

            command.Parameters.Add(new NpgsqlParameter { Value = by.Name });
            command.Parameters.Add(new NpgsqlParameter { Value = at });
            if (await command.ExecuteNonQueryAsync(ct) == 0)
            {
                return false;
            }
        }

        await AuditStore.AppendAsync(connection, tx, by, new AuditEvent(action, before.CountyCode, before.Cycle, old, now), at, ct);
        await tx.CommitAsync(ct);
        return true;
    }
}
