using Ingest.Core.Organisations;
using Npgsql;

namespace Ingest.Data.Organisations;

/// <summary>The organisation directory: region → city → county → school, with parent-school links.</summary>
public sealed class OrganisationStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string UpsertSql = """
        INSERT INTO ingest.organisation AS o (code, name, level, parent_code, parent_school_code, school_type,
                                              is_teaching_point, student_count, active, updated_at)
        SELECT u.*, $10::timestamptz
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[], $8::integer[], $9::boolean[]) AS u
        ON CONFLICT (code) DO UPDATE SET
            name = excluded.name, level = excluded.level, parent_code = excluded.parent_code,
            parent_school_code = excluded.parent_school_code, school_type = excluded.school_type,
            is_teaching_point = excluded.is_teaching_point, student_count = excluded.student_count,
            active = excluded.active, updated_at = excluded.updated_at
        """;

    /// <summary>Inserts or updates organisations inside the caller's transaction (parents first, so links hold).</summary>
    public static async Task UpsertAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        IReadOnlyCollection<Organisation> organisations, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(organisations);
        if (organisations.Count == 0)
        {
            return;
        }

        var rows = organisations.OrderBy(o => o.Level).ToArray();
        await using var command = new NpgsqlCommand(UpsertSql, connection, transaction);
        command.Parameters.AddWithValue(rows.Select(o => o.Code).ToArray());
        command.Parameters.AddWithValue(rows.Select(o => o.Name).ToArray());
        command.Parameters.AddWithValue(rows.Select(o => LevelName(o.Level)).ToArray());
        command.Parameters.AddWithValue(rows.Select(o => o.ParentCode).ToArray());
        command.Parameters.AddWithValue(rows.Select(o => o.ParentSchoolCode).ToArray());
        command.Parameters.AddWithValue(rows.Select(o => o.SchoolType).ToArray());
        command.Parameters.AddWithValue(rows.Select(o => o.IsTeachingPoint).ToArray());
        command.Parameters.AddWithValue(rows.Select(o => o.StudentCount).ToArray());
        command.Parameters.AddWithValue(rows.Select(o => o.Active).ToArray());
        command.Parameters.AddWithValue(at.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Inserts or updates organisations in a transaction of its own.</summary>
    public async Task UpsertAsync(IReadOnlyCollection<Organisation> organisations, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await UpsertAsync(connection, null, organisations, clock.GetUtcNow(), cancellationToken);
    }

    /// <summary>Codes of the region's counties, in code order.</summary>
    public async Task<IReadOnlyList<string>> ListCountyCodesAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT code FROM ingest.organisation WHERE level = 'county' ORDER BY code");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var codes = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            codes.Add(reader.GetString(0));
        }

        return codes;
    }

    /// <summary>Codes of the active schools of a county, or of the whole directory when <paramref name="countyCode"/> is null, in code order.</summary>
    public async Task<IReadOnlyList<string>> ListActiveSchoolCodesAsync(string? countyCode, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT code FROM ingest.organisation WHERE level = 'school' AND active AND ($1::text IS NULL OR parent_code = $1) ORDER BY code
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)countyCode ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var codes = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            codes.Add(reader.GetString(0));
        }

        return codes;
    }

    /// <summary>How many active schools each county of the directory has (counties without any are absent).</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountActiveSchoolsByCountyAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT parent_code, count(*)::int FROM ingest.organisation WHERE level = 'school' AND active AND parent_code IS NOT NULL GROUP BY parent_code");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt32(1);
        }

        return counts;
    }

    /// <summary>Every county of the directory with its name and city, in code order.</summary>
    public async Task<IReadOnlyList<Organisation>> ListCountiesAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT code, name, parent_code FROM ingest.organisation WHERE level = 'county' ORDER BY code");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counties = new List<Organisation>();
        while (await reader.ReadAsync(cancellationToken))
        {
            counties.Add(new Organisation(reader.GetString(0), reader.GetString(1), OrgLevel.County, reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return counties;
    }

    /// <summary>The organisation of a code, or null when the directory does not have it.</summary>
    public Task<Organisation?> FindAsync(string code, CancellationToken cancellationToken) => FindAsync(dataSource, code, cancellationToken);

    internal static async Task<Organisation?> FindAsync(NpgsqlDataSource dataSource, string code, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT code, name, level, parent_code, parent_school_code, active FROM ingest.organisation WHERE code = $1");
        command.Parameters.AddWithValue(code);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var level = Enum.Parse<OrgLevel>(reader.GetString(2), ignoreCase: true);
        return new Organisation(reader.GetString(0), reader.GetString(1), level, reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4), Active: reader.GetBoolean(5));
    }

    /// <summary>The schools of a county (closed ones and teaching points included), in code order.</summary>
    public async Task<IReadOnlyList<Organisation>> ListSchoolsAsync(string countyCode, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT code, name, parent_code, parent_school_code, school_type, is_teaching_point, student_count, active
            FROM ingest.organisation WHERE level = 'school' AND parent_code = $1 ORDER BY code
            """);
        command.Parameters.AddWithValue(countyCode);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var schools = new List<Organisation>();
        while (await reader.ReadAsync(cancellationToken))
        {
            schools.Add(new Organisation(
                reader.GetString(0), reader.GetString(1), OrgLevel.School, reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetBoolean(5),
                reader.IsDBNull(6) ? null : reader.GetInt32(6),
                reader.GetBoolean(7)));
        }

        return schools;
    }

    internal static string LevelName(OrgLevel level) => level switch
    {
        OrgLevel.Region => "region",
        OrgLevel.City => "city",
        OrgLevel.County => "county",
        _ => "school",
    };
}
