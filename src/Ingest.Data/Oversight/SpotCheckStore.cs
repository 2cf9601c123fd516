using System.Text.Json;
using Ingest.Core.Oversight;
using Ingest.Data.Audit;
using Npgsql;
using NpgsqlTypes;

namespace Ingest.Data.Oversight;

/// <summary>
/// The department's spot checks in PostgreSQL: one draw per county and cycle, recorded with its seed and population before
/// any check is concluded; every draw, conclusion and closing audited in the same transaction.
/// </summary>
public sealed class SpotCheckStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The county's draw in the cycle with its checks, or null when none was drawn.</summary>
    public async Task<SpotCheckDraw?> FindAsync(string cycle, string countyCode, CancellationToken ct) =>
        (await ListAsync(cycle, countyCode, ct)).SingleOrDefault();

    /// <summary>Every draw of the cycle (of one county when named), with its checks.</summary>
    public async Task<IReadOnlyList<SpotCheckDraw>> ListAsync(string cycle, string? countyCode, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var draws = new List<SpotCheckDraw>();
        await using (var command = new NpgsqlCommand("""
            SELECT id, cycle, county_code, seed, sample_size, population::text, drawn_by, drawn_at, outcome, note, closed_by, closed_at
            FROM ingest.spot_check_draw WHERE cycle = $1 AND ($2::text IS NULL OR county_code = $2) ORDER BY county_code
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = cycle });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)countyCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                draws.Add(new SpotCheckDraw(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt32(4),
                    JsonSerializer.Deserialize<SpotCheckCandidate[]>(reader.GetString(5), Json)!, reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7), [],
                    reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetString(10),
                    reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11)));
            }
        }

        if (draws.Count == 0)
        {
            return draws;
        }

        var checks = new Dictionary<long, List<SpotCheck>>();
        await using (var command = new NpgsqlCommand("""
            SELECT c.draw_id, c.school_code, o.name, c.stratum, c.bureau_stars, c.department_stars, c.outcome, c.note, c.decided_by, c.decided_at
            FROM ingest.spot_check c JOIN ingest.organisation o ON o.code = c.school_code
            WHERE c.draw_id = ANY($1) ORDER BY c.stratum, c.school_code
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = draws.Select(d => d.Id).ToArray() });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var id = reader.GetInt64(0);
                if (!checks.TryGetValue(id, out var list))
                {
                    checks[id] = list = [];
                }

                list.Add(new SpotCheck(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetInt32(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8),
                    reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9)));
            }
        }

        return draws.Select(d => d with { Checks = checks.GetValueOrDefault(d.Id) ?? [] }).ToArray();
    }

    /// <summary>Records a draw and its checks; false (nothing written) when the county already has a draw in the cycle.</summary>
    public async Task<bool> DrawAsync(string cycle, string countyCode, long seed, int size, IReadOnlyList<SpotCheckCandidate> population,
        IReadOnlyList<SpotCheckCandidate> sample, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(sample);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        long id;
        await using (var command = new NpgsqlCommand("""
            INSERT INTO ingest.spot_check_draw (cycle, county_code, seed, sample_size, population, drawn_by, drawn_at)
            VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7) ON CONFLICT (cycle, county_code) DO NOTHING RETURNING id
            """, connection, tx))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = cycle });
            command.Parameters.Add(new NpgsqlParameter { Value = countyCode });
            command.Parameters.Add(new NpgsqlParameter { Value = seed });
            command.Parameters.Add(new NpgsqlParameter { Value = size });
            command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(population, Json) });
            command.Parameters.Add(new NpgsqlParameter { Value = by.Name });
            command.Parameters.Add(new NpgsqlParameter { Value = now });
            if (await command.ExecuteScalarAsync(ct) is not long drawn)
            {
                return false;
            }

            id = drawn;
        }

        foreach (var school in sample)
        {
            await using var command = new NpgsqlCommand(
                "INSERT INTO ingest.spot_check (draw_id, school_code, stratum, bureau_stars) VALUES ($1, $2, $3, $4)", connection, tx);
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            command.Parameters.Add(new NpgsqlParameter { Value = school.Code });
            command.Parameters.Add(new NpgsqlParameter { Value = school.Stratum });
            command.Parameters.Add(new NpgsqlParameter { Value = school.Stars });
            await command.ExecuteNonQueryAsync(ct);
        }

        await AuditStore.AppendAsync(connection, tx, by, new AuditEvent(AuditActions.SpotCheckDraw, countyCode, cycle, null,
            new { seed, size, eligible = population.Count, drawn = sample.Select(s => s.Code).ToArray() }), now, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Records the department's conclusion of one check (a later conclusion replaces it while the draw is open).</summary>
    public async Task ConcludeAsync(SpotCheckDraw draw, string schoolCode, int departmentStars, string outcome, string? note, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(draw);
        ArgumentNullException.ThrowIfNull(by);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var before = draw.Checks.Single(c => c.SchoolCode == schoolCode);
        await using (var command = new NpgsqlCommand("""
            UPDATE ingest.spot_check SET department_stars = $3, outcome = $4, note = $5, decided_by = $6, decided_at = $7
            WHERE draw_id = $1 AND school_code = $2
            """, connection, tx))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = draw.Id });
            command.Parameters.Add(new NpgsqlParameter { Value = schoolCode });
            command.Parameters.Add(new NpgsqlParameter { Value = departmentStars });
            command.Parameters.Add(new NpgsqlParameter { Value = outcome });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)note ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = by.Name });
            command.Parameters.Add(new NpgsqlParameter { Value = now });
            await command.ExecuteNonQueryAsync(ct);
        }

        await AuditStore.AppendAsync(connection, tx, by, new AuditEvent(AuditActions.SpotCheckConclude, schoolCode, draw.Cycle,
            before.Outcome is null ? null : new { before.Outcome, before.DepartmentStars, before.Note },
            new { outcome, bureauStars = before.BureauStars, departmentStars, note }), now, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Closes the draw with the county's outcome, which publishes it to the county's bureau.</summary>
    public async Task CloseAsync(SpotCheckDraw draw, string outcome, string? note, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(draw);
        ArgumentNullException.ThrowIfNull(by);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        await using (var command = new NpgsqlCommand(
            "UPDATE ingest.spot_check_draw SET outcome = $2, note = $3, closed_by = $4, closed_at = $5 WHERE id = $1 AND outcome IS NULL", connection, tx))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = draw.Id });
            command.Parameters.Add(new NpgsqlParameter { Value = outcome });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)note ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = by.Name });
            command.Parameters.Add(new NpgsqlParameter { Value = now });
            if (await command.ExecuteNonQueryAsync(ct) == 0)
            {
                return;
            }
        }

        await AuditStore.AppendAsync(connection, tx, by, new AuditEvent(AuditActions.SpotCheckClose, draw.CountyCode, draw.Cycle, null,
            new { outcome, note, failed = draw.Checks.Where(c => c.Outcome == SpotCheckDraw.Failed).Select(c => c.SchoolCode).ToArray() }), now, ct);
        await tx.CommitAsync(ct);
    }
}
