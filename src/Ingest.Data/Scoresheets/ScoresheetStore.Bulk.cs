using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ingest.Core.Periods;
using Ingest.Data.Audit;
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

/// <summary>
/// An auto line as stored: its outcome, the digest of everything it holds, and its JSON columns, serialised only when the
/// line is written.
/// </summary>
internal sealed class AutoLine(long sheetId, string target, AutoOutcome outcome)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public long SheetId => sheetId;

    public string Target => target;

    public AutoOutcome Outcome => outcome;

    public decimal? Score => outcome.Score;

    public string? Reason => outcome.Reason;

    public string? Summary => outcome.Summary;

    public bool OnSite => outcome.OnSite;

    public string Settings => JsonSerializer.Serialize(outcome.Settings, Json);

    public string Evidence => JsonSerializer.Serialize(outcome.Evidence, Json);

    /// <summary>16 bytes of SHA-256 over every field of the line and of each fact of its evidence, apart by unit separators.</summary>
    public byte[] Fingerprint { get; } = Digest(target, outcome);

    /// <summary>The lines of one sheet, in target order.</summary>
    public static AutoLine[] Of(long sheetId, IReadOnlyDictionary<string, AutoOutcome> auto) =>
        auto.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => new AutoLine(sheetId, a.Key, a.Value)).ToArray();

    /// <summary>The digest of a sheet's auto lines: their digests in target order.</summary>
    public static byte[] SheetDigest(IEnumerable<AutoLine> lines)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var line in lines)
        {
            hash.AppendData(line.Fingerprint);
        }

        return hash.GetHashAndReset()[..16];
    }

    private static byte[] Digest(string target, AutoOutcome outcome)
    {
        var text = new StringBuilder(256);
        text.Add(target).Add(outcome.Score).Add(outcome.Reason).Add(outcome.Summary).Add(outcome.OnSite ? "1" : "0");
        foreach (var setting in outcome.Settings)
        {
            text.Add(setting);
        }

        text.Append('\u001e');
        foreach (var f in outcome.Evidence)
        {
            text.Add(f.OrgCode).Add(f.Indicator).Add(f.Period).Add(f.Source).Add(f.Value).Add(f.Numerator).Add(f.Denominator).Add(f.Detail)
                .Add(f.RunId.ToString(CultureInfo.InvariantCulture)).Add(f.FetchedAt.UtcTicks.ToString(CultureInfo.InvariantCulture));
            text.Append('\u001e');
        }

        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))[..16];
    }
}

internal static class DigestText
{
    public static StringBuilder Add(this StringBuilder text, string? value) => text.Append(value ?? "\u0000").Append('\u001f');

    public static StringBuilder Add(this StringBuilder text, decimal? value) => text.Add(value?.ToString(CultureInfo.InvariantCulture));
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
    /// <param name="by">Who asked (a person, or the system after a run); <paramref name="why"/> is written for them in the same transaction.</param>
    /// <param name="why">The audit line of the batch (sheet.rescore of a county, the region or a run); the counts of the batch are added as its new value.</param>
    public async Task<BulkScoreOutcome> SaveAutoManyAsync(Rubric rubric, EvaluationCycle cycle, CyclePeriods periods, IReadOnlyList<SheetAuto> sheets,
        Actor by, AuditEvent why, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(why);
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
        // The upsert locks every sheet and answers the digest of the lines it holds (the column is not set by it).
        var stored = new Dictionary<string, (long Id, byte[]? Digest, bool Created)>(StringComparer.Ordinal);
        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO ingest.scoresheet AS s (org_code, rubric_id, cycle, periods, settings, created_at, scored_at)
            SELECT u.org, $2, $3, $4::jsonb, u.settings, $5, $5 FROM unnest($1::text[], $6::jsonb[]) WITH ORDINALITY AS u(org, settings, n) ORDER BY u.n
            ON CONFLICT (org_code, rubric_id, cycle) DO UPDATE SET periods = excluded.periods, settings = excluded.settings, scored_at = excluded.scored_at
            RETURNING id, org_code, auto_fingerprint, xmax = 0
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
                stored[reader.GetString(1)] = (reader.GetInt64(0), reader.IsDBNull(2) ? null : reader.GetFieldValue<byte[]>(2), reader.GetBoolean(3));
            }
        }

        // Only a sheet whose digest moved has its lines compared one by one, and its columns recomputed.
        var moved = new List<(SheetAuto Sheet, long Id, AutoLine[] Lines, byte[] Digest)>();
        var unchanged = 0;
        foreach (var sheet in ordered)
        {
            var (id, before, _) = stored[sheet.OrgCode];
            var lines = AutoLine.Of(id, sheet.Auto);
            var digest = AutoLine.SheetDigest(lines);
            if (before is not null && before.AsSpan().SequenceEqual(digest))
            {
                unchanged += lines.Length;
            }
            else
            {
                moved.Add((sheet, id, lines, digest));
            }
        }

        var lineDigests = new Dictionary<(long, string), byte[]?>();
        if (moved.Count > 0)
        {
            await using var read = new NpgsqlCommand("SELECT scoresheet_id, target, fingerprint FROM ingest.scoresheet_auto WHERE scoresheet_id = ANY($1)", connection, tx);
            read.Parameters.AddWithValue(moved.Select(m => m.Id).ToArray());
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                lineDigests[(reader.GetInt64(0), reader.GetString(1))] = reader.IsDBNull(2) ? null : reader.GetFieldValue<byte[]>(2);
            }
        }

        var changed = new List<AutoLine>();
        foreach (var line in moved.SelectMany(m => m.Lines))
        {
            if (lineDigests.Remove((line.SheetId, line.Target), out var before) && before is not null && before.AsSpan().SequenceEqual(line.Fingerprint))
            {
                unchanged++;
            }
            else
            {
                changed.Add(line);
            }
        }

        await WriteAutoLinesAsync(connection, tx, changed, ct);
        if (lineDigests.Count > 0)
        {
            // What is left of the stored lines are targets the sheets no longer score.
            await using var delete = new NpgsqlCommand("""
                DELETE FROM ingest.scoresheet_auto a USING unnest($1::bigint[], $2::text[]) AS gone(id, target)
                WHERE a.scoresheet_id = gone.id AND a.target = gone.target
                """, connection, tx);
            delete.Parameters.AddWithValue(lineDigests.Keys.Select(k => k.Item1).ToArray());
            delete.Parameters.AddWithValue(lineDigests.Keys.Select(k => k.Item2).ToArray());
            await delete.ExecuteNonQueryAsync(ct);
        }

        var columnsWritten = 0;
        if (moved.Count > 0)
        {
            await using (var digests = new NpgsqlCommand("""
                UPDATE ingest.scoresheet s SET auto_fingerprint = u.digest FROM unnest($1::bigint[], $2::bytea[]) AS u(id, digest) WHERE s.id = u.id
                """, connection, tx))
            {
                digests.Parameters.AddWithValue(moved.Select(m => m.Id).ToArray());
                digests.Parameters.AddWithValue(moved.Select(m => m.Digest).ToArray());
                await digests.ExecuteNonQueryAsync(ct);
            }

            var entries = await ReadEntriesAsync(connection, tx, moved.Select(m => m.Id).ToArray(), ct);
            var columns = moved.Select(m =>
            {
                var logged = entries.GetValueOrDefault(m.Id) ?? [];
                return (m.Id, Columns: ScoreColumns(rubric, m.Sheet.Auto, logged), Entries: logged);
            }).ToArray();
            columnsWritten = await WriteColumnsAsync(connection, tx, columns, ct);
        }

        var outcome = new BulkScoreOutcome(ordered.Length, stored.Values.Count(x => x.Created), changed.Count, unchanged, lineDigests.Count, columnsWritten);
        await AuditStore.AppendAsync(connection, tx, by, why with
        {
            NewValue = new { sheets = outcome.Sheets, created = outcome.Created, lines = outcome.LinesWritten, from = ordered[0].OrgCode, to = ordered[^1].OrgCode, detail = why.NewValue },
        }, now, ct);
        await tx.CommitAsync(ct);
        return outcome;
    }

    /// <summary>
    /// The three columns, as <see cref="Score"/> gives them; a column without entries is the auto lines alone, so it is
    /// scored once and shared by every column that has none.
    /// </summary>
    private static ColumnResult[] ScoreColumns(Rubric rubric, IReadOnlyDictionary<string, AutoOutcome> auto, List<EntryLog> entries)
    {
        ColumnResult? bare = null;
        return AllColumns.Select(c => entries.Any(e => e.Entry.Column == c)
            ? SheetScorer.Score(rubric, auto, c, entries.Select(e => e.Entry))
            : (bare ??= SheetScorer.Score(rubric, auto, c, [])) with { Column = c }).ToArray();
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
        IReadOnlyList<(long Id, ColumnResult[] Columns, List<EntryLog> Entries)> sheets, CancellationToken ct)
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
