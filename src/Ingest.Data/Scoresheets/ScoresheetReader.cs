using System.Text.Json;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Data.Organisations;
using Npgsql;
using NpgsqlTypes;

namespace Ingest.Data.Scoresheets;

/// <summary>Reads scoresheets and the facts they rest on; writes nothing.</summary>
public sealed class ScoresheetReader(NpgsqlDataSource dataSource)
{
    /// <summary>The current facts of <paramref name="orgCodes"/> for <paramref name="periods"/>, as evidence.</summary>
    public Task<IReadOnlyList<FactEvidence>> ReadFactsAsync(IReadOnlyCollection<string> orgCodes, IReadOnlyCollection<string> periods, CancellationToken ct) =>
        ReadFactsAsync(orgCodes, periods, null, ct);

    /// <summary>
    /// The facts of the organisations in the periods as they stood at <paramref name="asOf"/> (the version read at or
    /// before it and not yet replaced then, from the fact history), or the current ones when it is null.
    /// </summary>
    public async Task<IReadOnlyList<FactEvidence>> ReadFactsAsync(IReadOnlyCollection<string> orgCodes, IReadOnlyCollection<string> periods, DateTimeOffset? asOf,
        CancellationToken ct)
    {
        const string columns = "org_code, indicator_code, period, source, value, numerator, denominator, detail::text, run_id, fetched_at";
        await using var command = dataSource.CreateCommand(asOf is null
            ? $"SELECT {columns} FROM ingest.fact WHERE org_code = ANY($1) AND period = ANY($2)"
            : $"""
              SELECT {columns} FROM ingest.fact WHERE org_code = ANY($1) AND period = ANY($2) AND fetched_at <= $3
              UNION ALL
              SELECT {columns} FROM ingest.fact_history
              WHERE org_code = ANY($1) AND period = ANY($2) AND fetched_at <= $3 AND superseded_at > $3
              """);
        command.Parameters.AddWithValue(orgCodes.ToArray());
        command.Parameters.AddWithValue(periods.ToArray());
        if (asOf is { } at)
        {
            command.Parameters.AddWithValue(at.ToUniversalTime());
        }

        await using var reader = await command.ExecuteReaderAsync(ct);
        var facts = new List<FactEvidence>();
        while (await reader.ReadAsync(ct))
        {
            facts.Add(new FactEvidence(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                ScoresheetRows.NullableDecimal(reader, 4), ScoresheetRows.NullableDecimal(reader, 5), ScoresheetRows.NullableDecimal(reader, 6),
                reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetInt64(8), reader.GetFieldValue<DateTimeOffset>(9)));
        }

        return facts;
    }

    /// <summary>The organisation's name, level and county, or null when the directory has no such code.</summary>
    public Task<Organisation?> FindOrganisationAsync(string orgCode, CancellationToken ct) => OrganisationStore.FindAsync(dataSource, orgCode, ct);

    /// <summary>The id of the scoresheet of an organisation, rubric and cycle, or null.</summary>
    public async Task<long?> FindAsync(string orgCode, string rubricId, EvaluationCycle cycle, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT id FROM ingest.scoresheet WHERE org_code = $1 AND rubric_id = $2 AND cycle = $3");
        command.Parameters.AddWithValue(orgCode);
        command.Parameters.AddWithValue(rubricId);
        command.Parameters.AddWithValue(cycle.ToString());
        return await command.ExecuteScalarAsync(ct) as long?;
    }

    /// <summary>A scoresheet as stored: its auto lines and its entries, or null.</summary>
    public async Task<StoredScoresheet?> LoadAsync(long id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand("""
            SELECT s.org_code, o.name, o.parent_code, s.rubric_id, s.cycle, s.periods::text, s.applied_stars, s.scored_at, s.settings::text, s.frozen_columns
            FROM ingest.scoresheet s JOIN ingest.organisation o ON o.code = s.org_code WHERE s.id = $1
            """, connection);
        command.Parameters.AddWithValue(id);
        StoredScoresheet sheet;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                return null;
            }

            sheet = new StoredScoresheet(id, reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                EvaluationCycle.Parse(reader.GetString(4)), ScoresheetRows.ParsePeriods(reader.GetString(5)), reader.IsDBNull(6) ? null : reader.GetInt32(6),
                reader.GetFieldValue<DateTimeOffset>(7), JsonSerializer.Deserialize<string[]>(reader.GetString(8), ScoresheetRows.Json)!, null!, null!,
                reader.GetFieldValue<string[]>(9).Select(ScoresheetRows.ParseColumn).ToArray());
        }

        return sheet with
        {
            Auto = await ScoresheetRows.ReadAutoAsync(connection, null, id, ct),
            Entries = await ScoresheetRows.ReadEntriesAsync(connection, null, id, ct),
        };
    }

    /// <summary>Scoresheets of a cycle, optionally of one county's schools (or the county itself), in organisation code order.</summary>
    public async Task<IReadOnlyList<ScoresheetSummary>> ListAsync(EvaluationCycle cycle, string? countyCode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        await using var command = dataSource.CreateCommand("""
            SELECT s.id, s.org_code, o.name, CASE WHEN o.level = 'county' THEN o.code ELSE o.parent_code END, s.rubric_id, s.cycle, s.applied_stars, s.scored_at,
                   c.rating_column, c.total, c.stars, c.stars_by_total, c.unmet_veto_items, c.pending, c.not_computable, c.entries, s.frozen_columns <> '{}',
                   c.stars_other_reading
            FROM ingest.scoresheet s
            JOIN ingest.organisation o ON o.code = s.org_code
            LEFT JOIN ingest.scoresheet_column c ON c.scoresheet_id = s.id
            WHERE s.cycle = $1 AND ($2::text IS NULL OR o.parent_code = $2 OR o.code = $2)
            ORDER BY length(s.org_code), s.org_code, s.id
            """);
        command.Parameters.AddWithValue(cycle.ToString());
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)countyCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<ScoresheetSummary>();
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetInt64(0);
            if (list.Count == 0 || list[^1].Id != id)
            {
                list.Add(new ScoresheetSummary(id, reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4),
                    reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetInt32(6), reader.GetFieldValue<DateTimeOffset>(7), new Dictionary<string, ColumnSummary>(StringComparer.Ordinal),
                    reader.GetBoolean(16)));
            }

            if (!reader.IsDBNull(8))
            {
                ((Dictionary<string, ColumnSummary>)list[^1].Columns)[reader.GetString(8)] = new ColumnSummary(
                    reader.GetDecimal(9), reader.IsDBNull(10) ? null : reader.GetInt32(10), reader.IsDBNull(11) ? null : reader.GetInt32(11),
                    reader.GetFieldValue<string[]>(12), reader.GetInt32(13), reader.GetInt32(14), reader.GetInt32(15), reader.IsDBNull(17) ? null : reader.GetInt32(17));
            }
        }

        return list;
    }

    /// <summary>Ids of the scoresheets whose periods include any of <paramref name="periods"/>: those a run's new facts may change.</summary>
    public async Task<IReadOnlyList<(long Id, string OrgCode, string RubricId, string Cycle)>> ReadingAnyAsync(IReadOnlyCollection<string> periods, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, org_code, rubric_id, cycle FROM ingest.scoresheet
            WHERE frozen_columns = '{}' AND (periods->>'calendarYear' = ANY($1) OR periods->>'schoolYear' = ANY($1) OR periods->>'export' = ANY($1))
            ORDER BY id
            """);
        command.Parameters.AddWithValue(periods.ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<(long, string, string, string)>();
        while (await reader.ReadAsync(ct))
        {
            list.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return list;
    }
}
