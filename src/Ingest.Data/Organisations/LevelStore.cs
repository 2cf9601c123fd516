using System.Globalization;
using Ingest.Core.Levels;
using Ingest.Data.Audit;
using Npgsql;
using NpgsqlTypes;

namespace Ingest.Data.Organisations;

/// <summary>A 申报四星级 (or 五星级) the bureau forwarded to the department in a year (第十一条（二）).</summary>
public sealed record ForwardedApplication(int Year, string SchoolCode, string CountyCode, int AppliedStars, string ForwardedBy, DateTimeOffset ForwardedAt);

/// <summary>
/// The register of levels and the forwarded applications in PostgreSQL. Entries are only ever added (降低 and 取消 are
/// entries too), each with its audit line in the same transaction; one 授牌 per school and year, so awarding twice adds nothing.
/// </summary>
public sealed class LevelStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>
    /// Register entries up to <paramref name="upToYear"/> (every year when null), of one county, some schools, or all;
    /// in the register's order.
    /// </summary>
    public async Task<IReadOnlyList<LevelEntry>> ListAsync(string? countyCode, IReadOnlyCollection<string>? schools, int? upToYear, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT l.id, l.school_code, o.name, l.county_code, l.year, l.action, l.stars, l.body, l.decided_on, l.document, l.note, l.recorded_by, l.recorded_at
            FROM ingest.star_level l JOIN ingest.organisation o ON o.code = l.school_code
            WHERE ($1::text IS NULL OR l.county_code = $1) AND ($2::text[] IS NULL OR l.school_code = ANY($2)) AND ($3::int IS NULL OR l.year <= $3)
            ORDER BY l.school_code, l.year, l.decided_on, l.id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)countyCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)schools?.ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)upToYear ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        var list = new List<LevelEntry>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new LevelEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4),
                LevelEntry.ActionOf(reader.GetString(5)), reader.GetInt32(6), reader.GetString(7), reader.GetFieldValue<DateOnly>(8),
                reader.IsDBNull(9) ? null : reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetString(10), reader.GetString(11),
                reader.GetFieldValue<DateTimeOffset>(12)));
        }

        return list;
    }

    /// <summary>
    /// Adds 授牌 entries (one per school and year: a school already awarded in the year keeps its entry), or one 降低 or
    /// 取消; each new entry audited. Returns the schools that got an entry.
    /// </summary>
    public async Task<IReadOnlyList<string>> AddAsync(IReadOnlyList<LevelEntry> entries, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(by);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var added = new List<string>();
        foreach (var e in entries)
        {
            if (await InsertAsync(connection, tx, e, by, now, ct))
            {
                added.Add(e.SchoolCode);
                await AuditStore.AppendAsync(connection, tx, by, new AuditEvent(e.Action == LevelAction.Award ? AuditActions.LevelAward : AuditActions.LevelChange,
                    e.SchoolCode, e.Year.ToString(CultureInfo.InvariantCulture), null, Audited(e)), now, ct);
            }
        }

        await tx.CommitAsync(ct);
        return added;
    }

    /// <summary>
    /// Imports levels awarded before this service: each school's imported level of a year replaces an earlier import of
    /// the same year; one audit line names the file and the schools.
    /// </summary>
    public async Task ImportAsync(IReadOnlyList<LevelEntry> entries, string source, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(by);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        await using (var delete = new NpgsqlCommand("""
            DELETE FROM ingest.star_level l USING unnest($1::text[], $2::int[]) AS x(school_code, year)
            WHERE l.action = 'import' AND l.school_code = x.school_code AND l.year = x.year
            """, connection, tx))
        {
            delete.Parameters.AddWithValue(entries.Select(e => e.SchoolCode).ToArray());
            delete.Parameters.AddWithValue(entries.Select(e => e.Year).ToArray());
            await delete.ExecuteNonQueryAsync(ct);
        }

        foreach (var e in entries)
        {
            await InsertAsync(connection, tx, e, by, now, ct);
        }

        await AuditStore.AppendAsync(connection, tx, by, new AuditEvent(AuditActions.LevelImport, null, source, null, entries.Select(Audited).ToArray()), now, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The applications forwarded in <paramref name="year"/>, of one county or all.</summary>
    public async Task<IReadOnlyList<ForwardedApplication>> ListForwardedAsync(int year, string? countyCode, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT year, school_code, county_code, applied_stars, forwarded_by, forwarded_at FROM ingest.star_application
            WHERE year = $1 AND ($2::text IS NULL OR county_code = $2) ORDER BY county_code, school_code
            """);
        command.Parameters.AddWithValue(year);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)countyCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var list = new List<ForwardedApplication>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new ForwardedApplication(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return list;
    }

    /// <summary>Records a forwarded application; false when it was forwarded already. Audited.</summary>
    public async Task<bool> ForwardAsync(ForwardedApplication application, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(by);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        await using var command = new NpgsqlCommand("""
            INSERT INTO ingest.star_application (year, school_code, county_code, applied_stars, forwarded_by, forwarded_at)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING
            """, connection, tx);
        command.Parameters.AddWithValue(application.Year);
        command.Parameters.AddWithValue(application.SchoolCode);
        command.Parameters.AddWithValue(application.CountyCode);
        command.Parameters.AddWithValue(application.AppliedStars);
        command.Parameters.AddWithValue(by.Name.Trim());
        command.Parameters.AddWithValue(now);
        if (await command.ExecuteNonQueryAsync(ct) == 0)
        {
            return false;
        }

        await AuditStore.AppendAsync(connection, tx, by, new AuditEvent(AuditActions.LevelForward, application.SchoolCode,
            application.Year.ToString(CultureInfo.InvariantCulture), null, new { application.Year, application.CountyCode, application.AppliedStars }), now, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    private static object Audited(LevelEntry e) => new
    {
        e.SchoolCode, e.Year, Action = LevelEntry.KeyOf(e.Action), e.Stars, e.Body, e.DecidedOn, e.Document, e.Note,
    };

    private static async Task<bool> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction tx, LevelEntry e, Actor by, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO ingest.star_level (school_code, county_code, year, action, stars, body, decided_on, document, note, recorded_by, recorded_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            ON CONFLICT (school_code, year) WHERE action IN ('award', 'import') DO NOTHING
            """, connection, tx);
        command.Parameters.AddWithValue(e.SchoolCode);
        command.Parameters.AddWithValue(e.CountyCode);
        command.Parameters.AddWithValue(e.Year);
        command.Parameters.AddWithValue(LevelEntry.KeyOf(e.Action));
        command.Parameters.AddWithValue(e.Stars);
        command.Parameters.AddWithValue(e.Body);
        command.Parameters.AddWithValue(e.DecidedOn);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)e.Document ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)e.Note ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.AddWithValue(by.Name.Trim());
        command.Parameters.AddWithValue(now);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }
}
