using System.Runtime.CompilerServices;
using Ingest.Core.Connectors;
using Npgsql;
using NpgsqlTypes;

namespace Ingest.Data.Raw;

/// <summary>
/// Spools in PostgreSQL (<c>ingest.row_spool</c>, unlogged): one page written per round trip, the rows read back as a
/// stream. A spool is owned by the read that opened it; one left behind by a process that died is pruned with the raw
/// archive.
/// </summary>
public sealed class RowSpoolStore(NpgsqlDataSource dataSource)
{
    public async Task<IRowSpool> OpenAsync(long runId, string connector, string stream, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO ingest.row_spool_owner (spool_id, run_id, connector, stream)
            VALUES (nextval('ingest.row_spool_id'), $1, $2, $3) RETURNING spool_id
            """);
        command.Parameters.AddWithValue(runId);
        command.Parameters.AddWithValue(connector);
        command.Parameters.AddWithValue(stream);
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new Spool(dataSource, id);
    }

    /// <summary>Drops the spools opened before <paramref name="before"/>: no read lasts that long, so their reader is gone.</summary>
    public async Task<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH gone AS (DELETE FROM ingest.row_spool_owner WHERE opened_at < $1 RETURNING spool_id)
            DELETE FROM ingest.row_spool WHERE spool_id IN (SELECT spool_id FROM gone)
            """);
        command.Parameters.AddWithValue(before.ToUniversalTime());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Spools still held (their owners), for tests and operations.</summary>
    public async Task<long> OpenCountAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM ingest.row_spool_owner");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private sealed class Spool(NpgsqlDataSource dataSource, long id) : IRowSpool
    {
        public async Task AddAsync(int part, IReadOnlyList<SpooledRow> rows, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(rows);
            // One statement cannot update a row twice: a key repeated within the page keeps its last copy here.
            var last = new Dictionary<string, ReadOnlyMemory<byte>>(rows.Count, StringComparer.Ordinal);
            foreach (var row in rows)
            {
                last[row.Key] = row.Body;
            }

            if (last.Count == 0)
            {
                return;
            }

            await using var command = dataSource.CreateCommand("""
                INSERT INTO ingest.row_spool (spool_id, key, part, body)
                SELECT $1, k, $2, b FROM unnest($3::text[], $4::bytea[]) AS u(k, b)
                ON CONFLICT (spool_id, key, part) DO UPDATE SET body = excluded.body
                """);
            command.Parameters.AddWithValue(id);
            command.Parameters.AddWithValue(part);
            command.Parameters.AddWithValue(last.Keys.ToArray());
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea, Value = last.Values.Select(b => b.ToArray()).ToArray() });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public async Task<long> CountAsync(int? part, CancellationToken cancellationToken)
        {
            await using var command = dataSource.CreateCommand(part is null
                ? "SELECT count(DISTINCT key) FROM ingest.row_spool WHERE spool_id = $1"
                : "SELECT count(*) FROM ingest.row_spool WHERE spool_id = $1 AND part = $2");
            command.Parameters.AddWithValue(id);
            if (part is { } p)
            {
                command.Parameters.AddWithValue(p);
            }

            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        public async Task DropAsync(int? part, CancellationToken cancellationToken)
        {
            await using var command = dataSource.CreateCommand(part is null
                ? "DELETE FROM ingest.row_spool WHERE spool_id = $1"
                : "DELETE FROM ingest.row_spool WHERE spool_id = $1 AND part = $2");
            command.Parameters.AddWithValue(id);
            if (part is { } p)
            {
                command.Parameters.AddWithValue(p);
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            // The primary key's order read backwards: each key's highest part comes first.
            await using var command = dataSource.CreateCommand("""
                SELECT DISTINCT ON (key) body FROM ingest.row_spool WHERE spool_id = $1 ORDER BY key DESC, part DESC
                """);
            command.Parameters.AddWithValue(id);
            await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                yield return await reader.GetFieldValueAsync<byte[]>(0, cancellationToken);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await using var command = dataSource.CreateCommand("""
                WITH rows AS (DELETE FROM ingest.row_spool WHERE spool_id = $1)
                DELETE FROM ingest.row_spool_owner WHERE spool_id = $1
                """);
            command.Parameters.AddWithValue(id);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
