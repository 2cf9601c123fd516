using Ingest.Data.Audit;
using Npgsql;

namespace Ingest.Data.Bulletins;

/// <summary>What the author wrote into a county's bulletin, hole by hole: read whole, written in one transaction with its audit line.</summary>
public sealed class BulletinStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task<IReadOnlyDictionary<string, string>> InputsAsync(string cycle, string countyCode, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT key, value FROM ingest.bulletin_input WHERE cycle = $1 AND county_code = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = cycle });
        command.Parameters.Add(new NpgsqlParameter { Value = countyCode });
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            inputs[r.GetString(0)] = r.GetString(1);
        }

        return inputs;
    }

    /// <summary>Writes the holes given (an empty value clears one); the ones that changed go into one audit line. Returns how many changed.</summary>
    public async Task<int> WriteAsync(string cycle, string countyCode, IReadOnlyDictionary<string, string?> values, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(by);
        var before = await InputsAsync(cycle, countyCode, ct);
        var changed = values.Where(v => (string.IsNullOrWhiteSpace(v.Value) ? null : v.Value.Trim()) != before.GetValueOrDefault(v.Key)).ToArray();
        if (changed.Length == 0)
        {
            return 0;
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        foreach (var (key, value) in changed)
        {
            await using var command = string.IsNullOrWhiteSpace(value)
                ? new NpgsqlCommand("DELETE FROM ingest.bulletin_input WHERE cycle = $1 AND county_code = $2 AND key = $3", connection, tx)
                : new NpgsqlCommand("""
                    INSERT INTO ingest.bulletin_input (cycle, county_code, key, value, written_by, written_at) VALUES ($1, $2, $3, $4, $5, $6)
                    ON CONFLICT (cycle, county_code, key) DO UPDATE SET value = excluded.value, written_by = excluded.written_by, written_at = excluded.written_at
                    """, connection, tx);
            command.Parameters.Add(new NpgsqlParameter { Value = cycle });
            command.Parameters.Add(new NpgsqlParameter { Value = countyCode });
            command.Parameters.Add(new NpgsqlParameter { Value = key });
            if (!string.IsNullOrWhiteSpace(value))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value.Trim() });
                command.Parameters.Add(new NpgsqlParameter { Value = by.Name });
                command.Parameters.Add(new NpgsqlParameter { Value = now });
            }

            await command.ExecuteNonQueryAsync(ct);
        }

        await AuditStore.AppendAsync(connection, tx, by, new AuditEvent(AuditActions.BulletinWrite, countyCode, cycle,
            changed.ToDictionary(c => c.Key, c => before.GetValueOrDefault(c.Key)), changed.ToDictionary(c => c.Key, c => c.Value)), now, ct);
        await tx.CommitAsync(ct);
        return changed.Length;
    }
}
