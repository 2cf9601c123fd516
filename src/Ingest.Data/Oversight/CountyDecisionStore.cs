using Ingest.Data.Audit;
using Npgsql;
using NpgsqlTypes;

namespace Ingest.Data.Oversight;

/// <summary>The department's decision on a county under 第十五条: 通报批评, next year's 培育 quota, its note; who and when.</summary>
public sealed record CountyDecision(string Cycle, string CountyCode, bool Criticised, int? Quota, string? Note, string DecidedBy, DateTimeOffset DecidedAt);

/// <summary>The department's decisions on the counties in PostgreSQL, one per county and cycle, each change audited with what it replaced.</summary>
public sealed class CountyDecisionStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task<IReadOnlyList<CountyDecision>> ListAsync(string cycle, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT cycle, county_code, criticised, quota, note, decided_by, decided_at FROM ingest.county_decision WHERE cycle = $1 ORDER BY county_code");
        command.Parameters.Add(new NpgsqlParameter { Value = cycle });
        var list = new List<CountyDecision>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new CountyDecision(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2), reader.IsDBNull(3) ? null : reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6)));
        }

        return list;
    }

    /// <summary>Records the decision, replacing the county's earlier one; audited with the old and the new.</summary>
    public async Task<CountyDecision> SetAsync(string cycle, string countyCode, bool criticised, int? quota, string? note, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(by);
        var before = (await ListAsync(cycle, ct)).SingleOrDefault(d => d.CountyCode == countyCode);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        await using (var command = new NpgsqlCommand("""
            INSERT INTO ingest.county_decision (cycle, county_code, criticised, quota, note, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (cycle, county_code) DO UPDATE SET criticised = $3, quota = $4, note = $5, decided_by = $6, decided_at = $7
            """, connection, tx))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = cycle });
            command.Parameters.Add(new NpgsqlParameter { Value = countyCode });
            command.Parameters.Add(new NpgsqlParameter { Value = criticised });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)quota ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)note ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = by.Name });
            command.Parameters.Add(new NpgsqlParameter { Value = now });
            await command.ExecuteNonQueryAsync(ct);
        }

        await AuditStore.AppendAsync(connection, tx, by, new AuditEvent(AuditActions.CountyDecision, countyCode, cycle,
            before is null ? null : new { before.Criticised, before.Quota, before.Note }, new { criticised, quota, note }), now, ct);
        await tx.CommitAsync(ct);
        return new CountyDecision(cycle, countyCode, criticised, quota, note, by.Name, now);
    }
}
