using Ingest.Data.Audit;
using Npgsql;
using NpgsqlTypes;

namespace Ingest.Data.Claims;

/// <summary>
/// One claim of a school: an item (or a part of it), the score claimed, the figure and the note, its line in the file,
/// and the 佐证材料 it names (file names of the school's sheet).
/// </summary>
/// <param name="Target">The item itself (23; 16 for the whole of an item in parts) or a part (16/library).</param>
public sealed record Claim(string SchoolCode, string Item, string Target, decimal Score, decimal? Figure, string? Note, int Line)
{
    public IReadOnlyList<string> Files { get; init; } = [];
}

/// <summary>A school's claims as they stand, with the import they came from.</summary>
public sealed record CurrentClaims(string SchoolCode, long ImportId, string FileName, string ImportedBy, DateTimeOffset ImportedAt, IReadOnlyList<Claim> Claims);

/// <summary>Claims in PostgreSQL: each import kept whole, the latest import of a school its current claims.</summary>
public sealed class ClaimStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>Records an import in one transaction, with its audit row. Returns the import's id.</summary>
    public async Task<long> SaveAsync(string cycle, string fileName, IReadOnlyList<Claim> claims, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(by);
        var now = clock.GetUtcNow();
        var schools = claims.Select(c => c.SchoolCode).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        long id;
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO ingest.claim_import (cycle, file_name, imported_by, imported_at, schools, rows) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
            """, connection, tx))
        {
            insert.Parameters.AddWithValue(cycle);
            insert.Parameters.AddWithValue(fileName);
            insert.Parameters.AddWithValue(by.Name);
            insert.Parameters.AddWithValue(now);
            insert.Parameters.AddWithValue(schools);
            insert.Parameters.AddWithValue(claims.Count);
            id = (long)(await insert.ExecuteScalarAsync(ct))!;
        }

        await using (var rows = new NpgsqlCommand("""
            INSERT INTO ingest.claim (import_id, school_code, item, target, score, figure, note, line, evidence)
            SELECT $1, u.school, u.item, u.target, u.score, u.figure, u.note, u.line, string_to_array(u.evidence, chr(10))
            FROM unnest($2::text[], $3::text[], $4::text[], $5::numeric[], $6::numeric[], $7::text[], $8::integer[], $9::text[])
                AS u(school, item, target, score, figure, note, line, evidence)
            """, connection, tx))
        {
            rows.Parameters.AddWithValue(id);
            rows.Parameters.AddWithValue(claims.Select(c => c.SchoolCode).ToArray());
            rows.Parameters.AddWithValue(claims.Select(c => c.Item).ToArray());
            rows.Parameters.AddWithValue(claims.Select(c => c.Target).ToArray());
            rows.Parameters.AddWithValue(claims.Select(c => c.Score).ToArray());
            rows.Parameters.Add(new NpgsqlParameter { Value = claims.Select(c => (object?)c.Figure ?? DBNull.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric });
            rows.Parameters.Add(new NpgsqlParameter { Value = claims.Select(c => (object?)c.Note ?? DBNull.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            rows.Parameters.AddWithValue(claims.Select(c => c.Line).ToArray());
            // A claim's names travel as one text each (names hold no new line), since unnest flattens arrays of arrays.
            rows.Parameters.AddWithValue(claims.Select(c => string.Join('\n', c.Files)).ToArray());
            await rows.ExecuteNonQueryAsync(ct);
        }

        // One line per school, so that whoever reads a school's or a county's part of the trail sees the import that holds its claims.
        foreach (var school in schools)
        {
            await AuditStore.AppendAsync(connection, tx, by, new AuditEvent(AuditActions.ClaimsImport, school, $"{cycle} {fileName}", null,
                new { import = id, schools = schools.Length, rows = claims.Count(c => c.SchoolCode == school) }), now, ct);
        }
        await tx.CommitAsync(ct);
        return id;
    }

    /// <summary>The current claims of each school of <paramref name="schools"/> in the cycle (the latest import holding it); schools without claims are left out.</summary>
    public Task<IReadOnlyList<CurrentClaims>> CurrentAsync(string cycle, IReadOnlyCollection<string> schools, CancellationToken ct) =>
        CurrentAsync(cycle, schools, null, ct);

    /// <summary>The claims each school held at <paramref name="asOf"/> (the latest import by then), or now when it is null.</summary>
    public async Task<IReadOnlyList<CurrentClaims>> CurrentAsync(string cycle, IReadOnlyCollection<string> schools, DateTimeOffset? asOf, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            WITH latest AS (
                SELECT DISTINCT ON (s.school) s.school, i.id, i.file_name, i.imported_by, i.imported_at
                FROM ingest.claim_import i, unnest(i.schools) AS s(school)
                WHERE i.cycle = $1 AND s.school = ANY ($2) AND ($3::timestamptz IS NULL OR i.imported_at <= $3)
                ORDER BY s.school, i.id DESC)
            SELECT l.school, l.id, l.file_name, l.imported_by, l.imported_at, c.item, c.target, c.score, c.figure, c.note, c.line, c.evidence
            FROM latest l JOIN ingest.claim c ON c.import_id = l.id AND c.school_code = l.school
            ORDER BY l.school, c.line
            """);
        command.Parameters.AddWithValue(cycle);
        command.Parameters.AddWithValue(schools.ToArray());
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)asOf?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        var result = new List<CurrentClaims>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        List<Claim>? claims = null;
        while (await reader.ReadAsync(ct))
        {
            var school = reader.GetString(0);
            if (result.Count == 0 || result[^1].SchoolCode != school)
            {
                claims = [];
                result.Add(new CurrentClaims(school, reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4), claims));
            }

            claims!.Add(new Claim(school, reader.GetString(5), reader.GetString(6), reader.GetDecimal(7),
                reader.IsDBNull(8) ? null : reader.GetDecimal(8), reader.IsDBNull(9) ? null : reader.GetString(9), reader.GetInt32(10)) { Files = reader.GetFieldValue<string[]>(11) });
        }

        return result;
    }

    /// <summary>How many imports have held the school's claims in the cycle, oldest first: (id, file, who, when).</summary>
    public async Task<IReadOnlyList<(long Id, string FileName, string ImportedBy, DateTimeOffset At)>> HistoryAsync(string cycle, string school, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, file_name, imported_by, imported_at FROM ingest.claim_import WHERE cycle = $1 AND $2 = ANY (schools) ORDER BY id");
        command.Parameters.AddWithValue(cycle);
        command.Parameters.AddWithValue(school);
        var rows = new List<(long, string, string, DateTimeOffset)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return rows;
    }
}
