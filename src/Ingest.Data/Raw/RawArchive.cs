using System.Security.Cryptography;
using Ingest.Core.Connectors;
using Npgsql;

namespace Ingest.Data.Raw;

/// <summary>Keeps every raw upstream answer of a run, byte for byte, for re-normalisation and audit.</summary>
public sealed class RawArchive(NpgsqlDataSource dataSource)
{
    private const string InsertSql = """
        INSERT INTO ingest.raw_page (run_id, connector, stream, county_code, period, sequence, request,
                                     http_status, content_type, body, sha256, fetched_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
        """;

    public async Task AppendAsync(long runId, string connector, RawPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        await using var command = dataSource.CreateCommand(InsertSql);
        command.Parameters.AddWithValue(runId);
        command.Parameters.AddWithValue(connector);
        command.Parameters.AddWithValue(page.Stream);
        command.Parameters.AddWithValue((object?)page.CountyCode ?? DBNull.Value);
        command.Parameters.AddWithValue((object?)page.Period ?? DBNull.Value);
        command.Parameters.AddWithValue(page.Sequence);
        command.Parameters.AddWithValue(page.Request);
        command.Parameters.AddWithValue(page.HttpStatus);
        command.Parameters.AddWithValue((object?)page.ContentType ?? DBNull.Value);
        command.Parameters.AddWithValue(page.Body.ToArray());
        command.Parameters.AddWithValue(SHA256.HashData(page.Body.Span));
        command.Parameters.AddWithValue(page.FetchedAt.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The raw pages of one stream read, in order, as archived.</summary>
    public async Task<IReadOnlyList<RawPage>> ReadAsync(long runId, string connector, string stream, string? countyCode, string? period,
        CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT stream, county_code, period, sequence, request, http_status, content_type, body, fetched_at
            FROM ingest.raw_page
            WHERE run_id = $1 AND connector = $2 AND stream = $3
              AND county_code IS NOT DISTINCT FROM $4 AND period IS NOT DISTINCT FROM $5
            ORDER BY sequence, id
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue(runId);
        command.Parameters.AddWithValue(connector);
        command.Parameters.AddWithValue(stream);
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = countyCode });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = period });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var pages = new List<RawPage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            pages.Add(new RawPage(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetInt32(3),
                reader.GetString(4),
                reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetFieldValue<byte[]>(7),
                reader.GetFieldValue<DateTimeOffset>(8)));
        }

        return pages;
    }

    /// <summary>
    /// The answers of <paramref name="streams"/> that run <paramref name="runId"/> read for a county and period, each
    /// saying whether it names <paramref name="orgCode"/>: where the row behind an organisation's figure came from. A
    /// listing read once for the night (archived under no period) or for several periods at once (their codes joined by
    /// <c>+</c>) belongs to each of them.
    /// </summary>
    public async Task<IReadOnlyList<RawPageRef>> FindAsync(long runId, string connector, IReadOnlyCollection<string> streams, string? countyCode, string period,
        string orgCode, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, run_id, connector, stream, county_code, period, sequence, request, http_status, content_type, length(body), sha256, fetched_at,
                   position(convert_to($6, 'UTF8') IN body) > 0
            FROM ingest.raw_page
            WHERE run_id = $1 AND connector = $2 AND stream = ANY($3) AND county_code IS NOT DISTINCT FROM $4
              AND (period = $5 OR period IS NULL OR $5 = ANY(string_to_array(period, '+')))
            ORDER BY stream, sequence, id
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue(runId);
        command.Parameters.AddWithValue(connector);
        command.Parameters.AddWithValue(streams.ToArray());
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = countyCode });
        command.Parameters.AddWithValue(period);
        command.Parameters.AddWithValue(orgCode);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var pages = new List<RawPageRef>();
        while (await reader.ReadAsync(cancellationToken))
        {
            pages.Add(Ref(reader));
        }

        return pages;
    }

    /// <summary>
    /// Deletes the pages read before <paramref name="before"/>, <paramref name="batchSize"/> at a time, each batch in its
    /// own short transaction, so no lock is held for long and the nightly writes go on beside it. Returns how many went.
    /// </summary>
    public async Task<long> PruneAsync(DateTimeOffset before, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        long pruned = 0;
        while (true)
        {
            await using var command = dataSource.CreateCommand("""
                DELETE FROM ingest.raw_page WHERE id IN (
                    SELECT id FROM ingest.raw_page WHERE fetched_at < $1 ORDER BY fetched_at LIMIT $2 FOR UPDATE SKIP LOCKED)
                """);
            command.Parameters.AddWithValue(before.ToUniversalTime());
            command.Parameters.AddWithValue(batchSize);
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            pruned += deleted;
            if (deleted < batchSize)
            {
                return pruned;
            }
        }
    }

    /// <summary>Whether the archive holds page <paramref name="id"/>, and the county it was read for (null: region-wide).</summary>
    public async Task<(bool Found, string? County)> CountyOfAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT county_code FROM ingest.raw_page WHERE id = $1");
        command.Parameters.AddWithValue(id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (true, reader.IsDBNull(0) ? null : reader.GetString(0)) : (false, null);
    }

    /// <summary>One archived answer with its body, or null when the archive has no such page.</summary>
    public async Task<(RawPageRef Page, byte[] Body)?> GetAsync(long id, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, run_id, connector, stream, county_code, period, sequence, request, http_status, content_type, length(body), sha256, fetched_at,
                   false, body
            FROM ingest.raw_page WHERE id = $1
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue(id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (Ref(reader), reader.GetFieldValue<byte[]>(14)) : null;
    }

    private static RawPageRef Ref(NpgsqlDataReader reader) => new(
        reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
        reader.GetInt32(6), reader.GetString(7), reader.GetInt32(8), reader.IsDBNull(9) ? null : reader.GetString(9), reader.GetInt32(10),
        Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(11)), reader.GetFieldValue<DateTimeOffset>(12), reader.GetBoolean(13));
}
