using Ingest.Data.Audit;
using Npgsql;
using NpgsqlTypes;

namespace Ingest.Data.Organisations;

/// <summary>How a school is on the cultivation roster of a year.</summary>
public enum RosterKind
{
    /// <summary>自治区培育对象: selected by the department (第六、七条), with its 批复.</summary>
    Region,

    /// <summary>县级培育学校: a county's own cultivation school (第九条), counted apart.</summary>
    County,

    /// <summary>厅直属: a school under the department, which applies to it directly (第五条、第十一条（一）).</summary>
    Direct,
}

/// <summary>One school on the roster of a year.</summary>
/// <param name="CountyCode">The county it is counted in; the region's code for a 厅直属 school.</param>
public sealed record RosterEntry(int Year, string SchoolCode, string SchoolName, string CountyCode, RosterKind Kind, string? ApprovalDoc, DateOnly? ApprovalDate,
    string AddedBy, DateTimeOffset AddedAt);

/// <summary>The cultivation roster in PostgreSQL: one row per year and school, every change audited in the same transaction.</summary>
public sealed class RosterStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>The roster of <paramref name="year"/>, for one county or all, by county then school.</summary>
    public async Task<IReadOnlyList<RosterEntry>> ListAsync(int year, string? countyCode, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT r.year, r.school_code, o.name, r.county_code, r.kind, r.approval_doc, r.approval_date, r.added_by, r.added_at
            FROM ingest.cultivation_roster r JOIN ingest.organisation o ON o.code = r.school_code
            WHERE r.year = $1 AND ($2::text IS NULL OR r.county_code = $2)
            ORDER BY r.county_code, r.school_code
            """);
        command.Parameters.AddWithValue(year);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)countyCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var list = new List<RosterEntry>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new RosterEntry(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), KindOf(reader.GetString(4)),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateOnly>(6), reader.GetString(7),
                reader.GetFieldValue<DateTimeOffset>(8)));
        }

        return list;
    }

    /// <summary>
    /// Replaces the roster of <paramref name="year"/> in each county that <paramref name="entries"/> name with those
    /// entries (a file of one county leaves the others as they were); one audit line says what it held before and after.
    /// </summary>
    public async Task<(int Added, int Removed)> ReplaceCountiesAsync(int year, IReadOnlyList<RosterEntry> entries, string? source, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(by);
        var counties = entries.Select(e => e.CountyCode).Distinct(StringComparer.Ordinal).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // One writer per year at a time, across hosts: two imports of the same county never interleave.
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('ingest.cultivation_roster'), $1)", connection, tx))
        {
            lockCommand.Parameters.AddWithValue(year);
            await lockCommand.ExecuteNonQueryAsync(ct);
        }

        var before = new List<string>();
        await using (var delete = new NpgsqlCommand(
            "DELETE FROM ingest.cultivation_roster WHERE year = $1 AND (county_code = ANY($2) OR school_code = ANY($3)) RETURNING school_code", connection, tx))
        {
            delete.Parameters.AddWithValue(year);
            delete.Parameters.AddWithValue(counties);
            delete.Parameters.AddWithValue(entries.Select(e => e.SchoolCode).ToArray());
            await using var reader = await delete.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                before.Add(reader.GetString(0));
            }
        }

        var now = clock.GetUtcNow();
        foreach (var e in entries)
        {
            await InsertAsync(connection, tx, e, by, now, ct);
        }

        var after = entries.Select(e => e.SchoolCode).ToHashSet(StringComparer.Ordinal);
        var removed = before.Count(s => !after.Contains(s));
        var added = after.Count(s => !before.Contains(s, StringComparer.Ordinal));
        await AuditStore.AppendAsync(connection, tx, by, new AuditEvent(AuditActions.RosterImport, counties.Length == 1 ? counties[0] : null, $"{year} {source}".Trim(),
            new { Counties = counties, Schools = before.Order(StringComparer.Ordinal) }, new { Counties = counties, Schools = after.Order(StringComparer.Ordinal) }), now, ct);
        await tx.CommitAsync(ct);
        return (added, removed);
    }

    /// <summary>Puts one school on the roster of its year, or changes how it is on it; audited.</summary>
    public async Task SetAsync(RosterEntry entry, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(by);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var before = await RemoveAsync(connection, tx, entry.Year, entry.SchoolCode, ct);
        var now = clock.GetUtcNow();
        await InsertAsync(connection, tx, entry, by, now, ct);
        await AuditStore.AppendAsync(connection, tx, by, new AuditEvent(AuditActions.RosterSet, entry.SchoolCode, entry.Year.ToString(System.Globalization.CultureInfo.InvariantCulture),
            before, new { entry.Year, entry.CountyCode, Kind = KeyOf(entry.Kind), entry.ApprovalDoc, entry.ApprovalDate }), now, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Takes a school off the roster of a year; false when it was not on it. Audited.</summary>
    public async Task<bool> DeleteAsync(int year, string schoolCode, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(by);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var before = await RemoveAsync(connection, tx, year, schoolCode, ct);
        if (before is null)
        {
            return false;
        }

        await AuditStore.AppendAsync(connection, tx, by, new AuditEvent(AuditActions.RosterRemove, schoolCode, year.ToString(System.Globalization.CultureInfo.InvariantCulture), before, null), clock.GetUtcNow(), ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>The database's word for a kind: region, county, direct.</summary>
    public static string KeyOf(RosterKind kind) => kind.ToString().ToLowerInvariant();

    private static RosterKind KindOf(string key) => Enum.Parse<RosterKind>(key, ignoreCase: true);

    private static async Task<object?> RemoveAsync(NpgsqlConnection connection, NpgsqlTransaction tx, int year, string schoolCode, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "DELETE FROM ingest.cultivation_roster WHERE year = $1 AND school_code = $2 RETURNING county_code, kind, approval_doc, approval_date", connection, tx);
        command.Parameters.AddWithValue(year);
        command.Parameters.AddWithValue(schoolCode);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new { Year = year, CountyCode = reader.GetString(0), Kind = reader.GetString(1), ApprovalDoc = reader.IsDBNull(2) ? null : reader.GetString(2),
                ApprovalDate = reader.IsDBNull(3) ? (DateOnly?)null : reader.GetFieldValue<DateOnly>(3) }
            : null;
    }

    private static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction tx, RosterEntry e, Actor by, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO ingest.cultivation_roster (year, school_code, county_code, kind, approval_doc, approval_date, added_by, added_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, connection, tx);
        command.Parameters.AddWithValue(e.Year);
        command.Parameters.AddWithValue(e.SchoolCode);
        command.Parameters.AddWithValue(e.CountyCode);
        command.Parameters.AddWithValue(KeyOf(e.Kind));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)e.ApprovalDoc ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = e.ApprovalDate is { } d ? d : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date });
        command.Parameters.AddWithValue(by.Name.Trim());
        command.Parameters.AddWithValue(now);
        await command.ExecuteNonQueryAsync(ct);
    }
}
