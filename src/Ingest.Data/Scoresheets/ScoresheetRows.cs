using System.Text.Json;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Npgsql;
using NpgsqlTypes;

namespace Ingest.Data.Scoresheets;

/// <summary>How a scoresheet's rows are read and written, shared by <see cref="ScoresheetStore"/> and <see cref="ScoresheetReader"/>.</summary>
internal static class ScoresheetRows
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string ColumnName(Column column) => column.ToString().ToLowerInvariant();

    public static Column ParseColumn(string name) => Enum.Parse<Column>(name, ignoreCase: true);

    public static string PeriodsJson(CyclePeriods periods) => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["calendarYear"] = periods.CalendarYear.Code,
        ["schoolYear"] = periods.SchoolYear.Code,
        ["export"] = periods.InfrastructureExport.Code,
    }, Json);

    public static CyclePeriods ParsePeriods(string json)
    {
        var p = JsonSerializer.Deserialize<Dictionary<string, string>>(json, Json)!;
        return new CyclePeriods(Period.Parse(p["calendarYear"]), Period.Parse(p["schoolYear"]), Period.Parse(p["export"]));
    }

    public static NpgsqlParameter Nullable(decimal? value) => new() { Value = value is { } v ? v : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Numeric };

    public static decimal? NullableDecimal(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDecimal(ordinal);

    /// <summary>A sheet's auto outcomes by target.</summary>
    public static async Task<Dictionary<string, AutoOutcome>> ReadAutoAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long id, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT target, score, reason, summary, settings::text, evidence::text, on_site FROM ingest.scoresheet_auto WHERE scoresheet_id = $1", connection, tx);
        command.Parameters.AddWithValue(id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var auto = new Dictionary<string, AutoOutcome>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            auto[reader.GetString(0)] = new AutoOutcome(NullableDecimal(reader, 1), reader.IsDBNull(2) ? null : reader.GetString(2),
                JsonSerializer.Deserialize<FactEvidence[]>(reader.GetString(5), Json)!, JsonSerializer.Deserialize<string[]>(reader.GetString(4), Json)!,
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetBoolean(6));
        }

        return auto;
    }

    public static async Task<List<EntryLog>> ReadEntriesAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long id, CancellationToken ct) =>
        (await ReadEntriesAsync(connection, tx, [id], ct)).GetValueOrDefault(id) ?? [];

    /// <summary>The entries of each of the sheets, in the order they were made; a sheet without entries has no key.</summary>
    public static async Task<Dictionary<long, List<EntryLog>>> ReadEntriesAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long[] ids,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT id, target, rating_column, score, counts::text, flag, reason, entered_by, entered_at, old_score, new_score, auto_score, scoresheet_id, evidence
            FROM ingest.scoresheet_entry WHERE scoresheet_id = ANY($1) ORDER BY scoresheet_id, id
            """, connection, tx);
        command.Parameters.AddWithValue(ids);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var entries = new Dictionary<long, List<EntryLog>>();
        while (await reader.ReadAsync(ct))
        {
            var value = new EntryValue(NullableDecimal(reader, 3),
                reader.IsDBNull(4) ? null : JsonSerializer.Deserialize<Dictionary<string, int>>(reader.GetString(4), Json),
                reader.IsDBNull(5) ? null : reader.GetBoolean(5), reader.IsDBNull(6) ? null : reader.GetString(6)) { Files = reader.GetFieldValue<string[]>(13) };
            var sheet = reader.GetInt64(12);
            if (!entries.TryGetValue(sheet, out var list))
            {
                entries[sheet] = list = [];
            }

            list.Add(new EntryLog(reader.GetInt64(0),
                new Entry(reader.GetString(1), ParseColumn(reader.GetString(2)), value, reader.GetString(7), reader.GetFieldValue<DateTimeOffset>(8)),
                NullableDecimal(reader, 9), NullableDecimal(reader, 10), NullableDecimal(reader, 11)));
        }

        return entries;
    }

    /// <summary>
    /// Each sheet's column rows, in one statement; a row whose figures are what it already holds is not rewritten. Answers
    /// the rows written.
    /// </summary>
    public static async Task<int> WriteColumnsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IEnumerable<(long Id, IReadOnlyList<ColumnTotals> Columns)> sheets,
        CancellationToken ct)
    {
        var rows = sheets.SelectMany(s => s.Columns.Select(c => (s.Id, Column: c))).ToArray();
        await using var command = new NpgsqlCommand("""
            INSERT INTO ingest.scoresheet_column AS c (scoresheet_id, rating_column, total, areas, stars, stars_by_total, unmet_veto_items, pending, not_computable, entries,
                stars_other_reading)
            SELECT u.id, u.rating_column, u.total, u.areas, u.stars, u.stars_by_total, string_to_array(u.unmet, ','), u.pending, u.not_computable, u.entries, u.other
            FROM unnest($1::bigint[], $2::text[], $3::numeric[], $4::jsonb[], $5::integer[], $6::integer[], $7::text[], $8::integer[], $9::integer[], $10::integer[],
                        $11::integer[])
                AS u(id, rating_column, total, areas, stars, stars_by_total, unmet, pending, not_computable, entries, other)
            ON CONFLICT (scoresheet_id, rating_column) DO UPDATE SET total = excluded.total, areas = excluded.areas, stars = excluded.stars,
                stars_by_total = excluded.stars_by_total, unmet_veto_items = excluded.unmet_veto_items, pending = excluded.pending,
                not_computable = excluded.not_computable, entries = excluded.entries, stars_other_reading = excluded.stars_other_reading
            WHERE (c.total, c.areas, c.stars, c.stars_by_total, c.unmet_veto_items, c.pending, c.not_computable, c.entries, c.stars_other_reading)
                IS DISTINCT FROM (excluded.total, excluded.areas, excluded.stars, excluded.stars_by_total, excluded.unmet_veto_items, excluded.pending,
                                  excluded.not_computable, excluded.entries, excluded.stars_other_reading)
            """, connection, tx);
        // unnest would flatten a text[][]: each column's unmet ★ items travel as one comma-joined string and are split back.
        command.Parameters.AddWithValue(rows.Select(r => r.Id).ToArray());
        command.Parameters.AddWithValue(rows.Select(r => ColumnName(r.Column.Column)).ToArray());
        command.Parameters.AddWithValue(rows.Select(r => r.Column.Total).ToArray());
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = rows.Select(r => JsonSerializer.Serialize(r.Column.Areas, Json)).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
        });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Column.Stars).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Column.StarsByTotal).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.AddWithValue(rows.Select(r => string.Join(',', r.Column.UnmetVetoItems)).ToArray());
        command.Parameters.AddWithValue(rows.Select(r => r.Column.Pending).ToArray());
        command.Parameters.AddWithValue(rows.Select(r => r.Column.NotComputable).ToArray());
        command.Parameters.AddWithValue(rows.Select(r => r.Column.Entries).ToArray());
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Column.StarsOtherReading).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        return await command.ExecuteNonQueryAsync(ct);
    }
}
