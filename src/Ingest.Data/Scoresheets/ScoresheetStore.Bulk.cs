using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ingest.Core.Periods;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;
using Npgsql;
using NpgsqlTypes;

namespace Ingest.Data.Scoresheets;

/// <summary>One sheet's scoring for <see cref="ScoresheetStore.SaveAutoManyAsync"/>: the organisation, the settings it used, its auto outcomes.</summary>
public sealed record SheetAuto(string OrgCode, IReadOnlyList<string> Settings, IReadOnlyDictionary<string, AutoOutcome> Auto);

/// <summary>
/// What a bulk save did: sheets scored (of them, created), auto lines written because their content changed, left
/// because it had not, and removed because the rubric no longer has their target; column rows whose totals changed.
/// </summary>
public sealed record BulkScoreOutcome(int Sheets, int Created, int LinesWritten, int LinesUnchanged, int LinesRemoved, int ColumnsWritten)
{
    public static readonly BulkScoreOutcome None = new(0, 0, 0, 0, 0, 0);

    public BulkScoreOutcome Add(BulkScoreOutcome other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Sheets + other.Sheets, Created + other.Created, LinesWritten + other.LinesWritten, LinesUnchanged + other.LinesUnchanged,
            LinesRemoved + other.LinesRemoved, ColumnsWritten + other.ColumnsWritten);
    }
}

/// <summary>An auto line as stored: its JSON columns serialised once, and the digest of everything it holds.</summary>
internal sealed record AutoLine(long SheetId, string Target, decimal? Score, string? Reason, string? Summary, string Settings, string Evidence, bool OnSite,
    byte[] Fingerprint)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The lines of one sheet, in target order.</summary>
    public static AutoLine[] Of(long sheetId, IReadOnlyDictionary<string, AutoOutcome> auto) =>
        auto.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => Of(sheetId, a.Key, a.Value)).ToArray();

    private static AutoLine Of(long sheetId, string target, AutoOutcome outcome)
    {
        var settings = JsonSerializer.Serialize(outcome.Settings, Json);
        var evidence = JsonSerializer.Serialize(outcome.Evidence, Json);
        // Unit separators keep the fields apart; 16 bytes of SHA-256 are plenty to tell a changed line from an unchanged one.
        var text = string.Join('\u001f', target, outcome.Score?.ToString(CultureInfo.InvariantCulture) ?? "\u0000", outcome.Reason ?? "\u0000",
            outcome.Summary ?? "\u0000", settings, evidence, outcome.OnSite ? "1" : "0");
        return new AutoLine(sheetId, target, outcome.Score, outcome.Reason, outcome.Summary, settings, evidence, outcome.OnSite,
            SHA256.HashData(Encoding.UTF8.GetBytes(text))[..16]);
    }
}

public sealed partial class ScoresheetStore
{
    /// <summary>
    /// Creates or re-scores the sheets of many organisations in one rubric and cycle, in one transaction and a fixed number
    /// of statements whatever their number: the sheets are upserted (in code order, so two hosts lock them in the same
    /// order), the auto lines whose digest changed are copied in and upserted, lines of targets gone are removed, and
    /// each column is recomputed from the auto lines and the entries read under the sheets' row locks; only column rows
    /// whose totals changed are written. Entries are kept, as by <see cref="SaveAutoAsync"/>.
    /// </summary>
    public async Task<BulkScoreOutcome> SaveAutoManyAsync(Rubric rubric, EvaluationCycle cycle, CyclePeriods periods, IReadOnlyList<SheetAuto> sheets,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rubric);
        ArgumentNullException.ThrowIfNull(cycle);
        ArgumentNullException.ThrowIfNull(sheets);
        if (sheets.Count == 0)
        {
            return BulkScoreOutcome.None;
        }

        var ordered = sheets.OrderBy(s => s.OrgCode, StringComparer.Ordinal).ToArray();
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        var created = 0;
        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO ingest.scoresheet AS s (org_code, rubric_id, cycle, periods, settings, created_at, scored_at)
            SELECT u.org, $2, $3, $4::jsonb, u.settings, $5, $5 FROM unnest($1::text[], $6::jsonb[]) WITH ORDINALITY AS u(org, settings, n) ORDER BY u.n
            ON CONFLICT (org_code, rubric_id, cycle) DO UPDATE SET periods = excluded.periods, settings = excluded.settings, scored_at = excluded.scored_at
            RETURNING id, org_code, xmax = 0
            """, connection, tx))
        {
            upsert.Parameters.AddWithValue(ordered.Select(s => s.OrgCode).ToArray());
            upsert.Parameters.AddWithValue(rubric.Id);
            upsert.Parameters.AddWithValue(cycle.ToString());
            upsert.Parameters.AddWithValue(JsonSerializer.Serialize(PeriodsJson(periods), Json));
            upsert.Parameters.AddWithValue(now);
            upsert.Parameters.Add(new NpgsqlParameter
            {
                Value = ordered.Select(s => JsonSerializer.Serialize(s.Settings, Json)).ToArray(),
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
            });
            await using var reader = await upsert.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ids[reader.GetString(1)] = reader.GetInt64(0);
                created += reader.GetBoolean(2) ? 1 : 0;
            }
        }

        var sheetIds = ordered.Select(s => ids[s.OrgCode]).ToArray();
        var stored = new Dictionary<(long, string), byte[]?>();
        await using (var read = new NpgsqlCommand("SELECT scoresheet_id, target, fingerprint FROM ingest.scoresheet_auto WHERE scoresheet_id = ANY($1)", connection, tx))
        {
            read.Parameters.AddWithValue(sheetIds);
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                stored[(reader.GetInt64(0), reader.GetString(1))] = reader.IsDBNull(2) ? null : reader.GetFieldValue<byte[]>(2);
            }
        }

        var changed = new List<AutoLine>();
        var unchanged = 0;
        foreach (var sheet in ordered)
        {
            foreach (var line in AutoLine.Of(ids[sheet.OrgCode], sheet.Auto))
            {
                if (stored.Remove((line.SheetId, line.Target), out var before) && before is not null && before.AsSpan().SequenceEqual(line.Fingerprint))
                {
                    unchanged++;
                }
                else
                {
                    changed.Add(line);
                }
            }
        }

        await WriteAutoLinesAsync(connection, tx, changed, ct);
        if (stored.Count > 0)
        {
            // What is left of the stored lines are targets the sheets no longer score.
            await using var delete = new NpgsqlCommand("""
                DELETE FROM ingest.scoresheet_auto a USING unnest($1::bigint[], $2::text[]) AS gone(id, target)
                WHERE a.scoresheet_id = gone.id AND a.target = gone.target
                """, connection, tx);
            delete.Parameters.AddWithValue(stored.Keys.Select(k => k.Item1).ToArray());
            delete.Parameters.AddWithValue(stored.Keys.Select(k => k.Item2).ToArray());
            await delete.ExecuteNonQueryAsync(ct);
        }

        var entries = await ReadEntriesAsync(connection, tx, sheetIds, ct);
        var columns = ordered.Select(s =>
        {
            var id = ids[s.OrgCode];
            var logged = entries.GetValueOrDefault(id) ?? [];
            return (Id: id, Columns: Score(rubric, s.Auto, logged), Entries: logged);
        }).ToArray();
        var columnsWritten = await WriteColumnsAsync(connection, tx, columns, ct);
        await tx.CommitAsync(ct);
        return new BulkScoreOutcome(ordered.Length, created, changed.Count, unchanged, stored.Count, columnsWritten);
    }

    private static async Task WriteAutoLinesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<AutoLine> lines, CancellationToken ct)
    {
        if (lines.Count == 0)
        {
            return;
        }

        await using (var stage = new NpgsqlCommand("""
            CREATE TEMP TABLE scoresheet_auto_stage (scoresheet_id bigint, target text, score numeric, reason text, summary text, settings jsonb,
                evidence jsonb, on_site boolean, fingerprint bytea) ON COMMIT DROP
            """, connection, tx))
        {
            await stage.ExecuteNonQueryAsync(ct);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY scoresheet_auto_stage (scoresheet_id, target, score, reason, summary, settings, evidence, on_site, fingerprint) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var line in lines)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(line.SheetId, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(line.Target, NpgsqlDbType.Text, ct);
                await WriteNullableAsync(copy, line.Score, NpgsqlDbType.Numeric, ct);
                await WriteNullableAsync(copy, line.Reason, NpgsqlDbType.Text, ct);
                await WriteNullableAsync(copy, line.Summary, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(line.Settings, NpgsqlDbType.Jsonb, ct);
                await copy.WriteAsync(line.Evidence, NpgsqlDbType.Jsonb, ct);
                await copy.WriteAsync(line.OnSite, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(line.Fingerprint, NpgsqlDbType.Bytea, ct);
            }

            await copy.CompleteAsync(ct);
        }

        await using var upsert = new NpgsqlCommand("""
            INSERT INTO ingest.scoresheet_auto (scoresheet_id, target, score, reason, summary, settings, evidence, on_site, fingerprint)
            SELECT scoresheet_id, target, score, reason, summary, settings, evidence, on_site, fingerprint FROM scoresheet_auto_stage
            ON CONFLICT (scoresheet_id, target) DO UPDATE SET score = excluded.score, reason = excluded.reason, summary = excluded.summary,
                settings = excluded.settings, evidence = excluded.evidence, on_site = excluded.on_site, fingerprint = excluded.fingerprint
            """, connection, tx);
        await upsert.ExecuteNonQueryAsync(ct);
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct)
    {
        if (value is null)
        {
            await copy.WriteNullAsync(ct);
        }
        else
        {
            await copy.WriteAsync(value, type, ct);
        }
    }

    /// <summary>Each sheet's three column rows, in one statement; a row whose figures are what it already holds is not rewritten.</summary>
    private static async Task<int> WriteColumnsAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        IReadOnlyList<(long Id, IReadOnlyList<ColumnResult> Columns, List<EntryLog> Entries)> sheets, CancellationToken ct)
    {
        var rows = sheets.SelectMany(s => s.Columns.Select(c => (s.Id, Column: c, Entries: s.Entries.Count(e => e.Entry.Column == c.Column)))).ToArray();
        await using var command = new NpgsqlCommand("""
            INSERT INTO ingest.scoresheet_column AS c (scoresheet_id, rating_column, total, areas, stars, stars_by_total, unmet_veto_items, pending, not_computable, entries)
            SELECT u.id, u.rating_column, u.total, u.areas, u.stars, u.stars_by_total, string_to_array(u.unmet, ','), u.pending, u.not_computable, u.entries
            FROM unnest($1::bigint[], $2::text[], $3::numeric[], $4::jsonb[], $5::integer[], $6::integer[], $7::text[], $8::integer[], $9::integer[], $10::integer[])
                AS u(id, rating_column, total, areas, stars, stars_by_total, unmet, pending, not_computable, entries)
            ON CONFLICT (scoresheet_id, rating_column) DO UPDATE SET total = excluded.total, areas = excluded.areas, stars = excluded.stars,
                stars_by_total = excluded.stars_by_total, unmet_veto_items = excluded.unmet_veto_items, pending = excluded.pending,
                not_computable = excluded.not_computable, entries = excluded.entries
            WHERE (c.total, c.areas, c.stars, c.stars_by_total, c.unmet_veto_items, c.pending, c.not_computable, c.entries)
                IS DISTINCT FROM (excluded.total, excluded.areas, excluded.stars, excluded.stars_by_total, excluded.unmet_veto_items, excluded.pending,
                                  excluded.not_computable, excluded.entries)
            """, connection, tx);
        // As in SaveColumnsAsync: each column's unmet ★ items travel as one comma-joined string and are split back.
        command.Parameters.AddWithValue(rows.Select(r => r.Id).ToArray());
        command.Parameters.AddWithValue(rows.Select(r => ColumnName(r.Column.Column)).ToArray());
        command.Parameters.AddWithValue(rows.Select(r => r.Column.Total).ToArray());
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = rows.Select(r => JsonSerializer.Serialize(r.Column.Areas.ToDictionary(a => a.Area.Code, a => a.Score), Json)).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
        });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Column.Stars?.Stars).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Column.Stars?.ByTotal).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.AddWithValue(rows.Select(r => string.Join(',', r.Column.Stars?.UnmetVetoItems ?? [])).ToArray());
        command.Parameters.AddWithValue(rows.Select(r => r.Column.Pending).ToArray());
        command.Parameters.AddWithValue(rows.Select(r => r.Column.NotComputable).ToArray());
        command.Parameters.AddWithValue(rows.Select(r => r.Entries).ToArray());
        return await command.ExecuteNonQueryAsync(ct);
    }
}
