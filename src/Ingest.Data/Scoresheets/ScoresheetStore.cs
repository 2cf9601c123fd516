using System.Text.Json;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Data.Audit;
using Npgsql;
using NpgsqlTypes;
using static Ingest.Data.Scoresheets.ScoresheetRows;

namespace Ingest.Data.Scoresheets;

/// <summary>
/// Scores a sheet's three columns from its auto lines and its entries. The store calls it inside its transaction,
/// under the sheet's row lock, so the columns it writes are computed from what is committed.
/// </summary>
public delegate IReadOnlyList<ColumnTotals> ColumnScorer(IReadOnlyDictionary<string, AutoOutcome> auto, IReadOnlyList<Entry> entries);

/// <summary>The workbook entries were imported from.</summary>
/// <param name="SignedAs">
/// How the entries are signed when someone fills them on the organisation's behalf (代填: a bureau importing its schools'
/// claims): "李老师（泾源县教育局代填）". Null: signed with the importer's name. The audit trail keeps the importer either way.
/// </param>
public sealed record ImportSource(string FileName, string? SignedAs = null);

/// <summary>A sheet as it stands under its row lock, for a use case to decide on entries: what it is, its lines, its entries, and the moment of the change.</summary>
public sealed record LockedSheet(long Id, string RubricId, string OrgCode, string Cycle, IReadOnlyDictionary<string, AutoOutcome> Auto,
    IReadOnlyList<EntryLog> Entries, DateTimeOffset Now);

/// <summary>An entry to log, with the value it replaces and the target's score before and after it (and the pre-filled score).</summary>
public sealed record EntryToLog(Entry Entry, EntryValue? Previous, decimal? Before, decimal? After, decimal? AutoScore);

/// <summary>What a use case decided on a locked sheet: the entries to log, those skipped as unchanged, and the columns after them.</summary>
public sealed record EntryBatch(IReadOnlyList<EntryToLog> Entries, int Unchanged, IReadOnlyList<ColumnTotals> Columns);

/// <summary>
/// Writes scoresheets in PostgreSQL. Re-scoring replaces only the auto lines; entries are an append-only log. Every change
/// takes the scoresheet's row lock, so a re-score and an entry on another host take turns and each column's totals
/// are recomputed from what the other committed. What to score and whether an entry is taken are the caller's: the
/// store holds the transaction and hands it the rows.
/// </summary>
public sealed partial class ScoresheetStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>
    /// Creates the scoresheet or re-scores it: its auto lines are replaced by <paramref name="auto"/>, its entries kept,
    /// its columns recomputed by <paramref name="score"/>. Answers the sheet's id.
    /// </summary>
    /// <param name="by">
    /// Who opened or re-scored it: the audit line (sheet.open when the sheet is created, sheet.rescore otherwise) is
    /// written in the same transaction.
    /// </param>
    public async Task<long> SaveAutoAsync(string orgCode, string rubricId, EvaluationCycle cycle, CyclePeriods periods, IReadOnlyList<string> settings,
        IReadOnlyDictionary<string, AutoOutcome> auto, ColumnScorer score, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(score);
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(auto);
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        long id;
        bool created;
        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO ingest.scoresheet AS s (org_code, rubric_id, cycle, periods, settings, created_at, scored_at)
            VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $6)
            ON CONFLICT (org_code, rubric_id, cycle) DO UPDATE SET periods = excluded.periods, settings = excluded.settings, scored_at = excluded.scored_at
            RETURNING id, xmax = 0
            """, connection, tx))
        {
            upsert.Parameters.AddWithValue(orgCode);
            upsert.Parameters.AddWithValue(rubricId);
            upsert.Parameters.AddWithValue(cycle.ToString());
            upsert.Parameters.AddWithValue(PeriodsJson(periods));
            upsert.Parameters.AddWithValue(JsonSerializer.Serialize(settings, Json));
            upsert.Parameters.AddWithValue(now);
            await using var reader = await upsert.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            (id, created) = (reader.GetInt64(0), reader.GetBoolean(1));
        }

        var lines = AutoLine.Of(id, auto);
        await using (var digest = new NpgsqlCommand("UPDATE ingest.scoresheet SET auto_fingerprint = $2 WHERE id = $1", connection, tx))
        {
            digest.Parameters.AddWithValue(id);
            digest.Parameters.AddWithValue(AutoLine.SheetDigest(lines));
            await digest.ExecuteNonQueryAsync(ct);
        }

        await using (var delete = new NpgsqlCommand("DELETE FROM ingest.scoresheet_auto WHERE scoresheet_id = $1", connection, tx))
        {
            delete.Parameters.AddWithValue(id);
            await delete.ExecuteNonQueryAsync(ct);
        }

        await WriteAutoLinesAsync(connection, tx, lines, ct);
        var entries = await ReadEntriesAsync(connection, tx, id, ct);
        await WriteColumnsAsync(connection, tx, [(id, score(auto, entries.ConvertAll(e => e.Entry)))], ct);
        await AuditStore.AppendAsync(connection, tx, by, new AuditEvent(created ? AuditActions.SheetOpen : AuditActions.SheetRescore, orgCode, cycle.ToString(), null,
            new { lines = lines.Length }), now, ct);
        await tx.CommitAsync(ct);
        return id;
    }

    /// <summary>
    /// Records entries in one column, all or none: the sheet is locked and read, <paramref name="decide"/> says which
    /// entries to log and the columns after them (or throws, and nothing is recorded), and each logged entry is written
    /// with its audit line and, for a workbook, the import it came with, in one transaction.
    /// </summary>
    /// <param name="import">The workbook the entries come from, logged with them; null for single entries.</param>
    /// <param name="by">Who enters: each logged entry leaves an audit row in the same transaction.</param>
    /// <exception cref="ScoresheetException">The sheet does not exist, or <paramref name="decide"/> refused an entry.</exception>
    public async Task<EntryBatch> RecordEntriesAsync(long scoresheetId, Column column, Func<LockedSheet, EntryBatch> decide, Actor by, ImportSource? import,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(decide);
        ArgumentNullException.ThrowIfNull(by);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        LockedSheet sheet;
        await using (var lockRow = new NpgsqlCommand("SELECT rubric_id, org_code, cycle FROM ingest.scoresheet WHERE id = $1 FOR UPDATE", connection, tx))
        {
            lockRow.Parameters.AddWithValue(scoresheetId);
            await using var reader = await lockRow.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                throw new ScoresheetException($"评分表 {scoresheetId} 不存在");
            }

            sheet = new LockedSheet(scoresheetId, reader.GetString(0), reader.GetString(1), reader.GetString(2), null!, null!, clock.GetUtcNow());
        }

        sheet = sheet with
        {
            Auto = await ReadAutoAsync(connection, tx, scoresheetId, ct),
            Entries = await ReadEntriesAsync(connection, tx, scoresheetId, ct),
        };
        var batch = decide(sheet);
        long? importId = import is null ? null : await InsertImportAsync(connection, tx, sheet, column, batch, by, import, ct);
        foreach (var logged in batch.Entries)
        {
            await InsertEntryAsync(connection, tx, sheet, logged, importId, ct);
            var entry = logged.Entry;
            await AuditStore.AppendAsync(connection, tx, by, new AuditEvent(entry.Value.IsWithdrawal ? AuditActions.ScoreWithdraw : AuditActions.ScoreEntry, sheet.OrgCode,
                $"{sheet.Cycle} {ColumnName(column)} {entry.Target}",
                new { score = logged.Before, entry = AuditValue(logged.Previous) },
                new { score = logged.After, entry = AuditValue(entry.Value), file = import?.FileName, signedAs = import?.SignedAs }), sheet.Now, ct);
        }

        if (batch.Entries.Count > 0)
        {
            await WriteColumnsAsync(connection, tx, [(scoresheetId, batch.Columns)], ct);
        }

        await tx.CommitAsync(ct);
        return batch;
    }

    private static async Task<long> InsertImportAsync(NpgsqlConnection connection, NpgsqlTransaction tx, LockedSheet sheet, Column column, EntryBatch batch,
        Actor by, ImportSource import, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand("""
            INSERT INTO ingest.scoresheet_import (scoresheet_id, rating_column, file_name, imported_by, imported_at, entries, unchanged)
            VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id
            """, connection, tx);
        insert.Parameters.AddWithValue(sheet.Id);
        insert.Parameters.AddWithValue(ColumnName(column));
        insert.Parameters.AddWithValue(import.FileName);
        insert.Parameters.AddWithValue(by.Name.Trim());
        insert.Parameters.AddWithValue(sheet.Now);
        insert.Parameters.AddWithValue(batch.Entries.Count);
        insert.Parameters.AddWithValue(batch.Unchanged);
        return (long)(await insert.ExecuteScalarAsync(ct))!;
    }

    private static async Task InsertEntryAsync(NpgsqlConnection connection, NpgsqlTransaction tx, LockedSheet sheet, EntryToLog logged, long? importId,
        CancellationToken ct)
    {
        var entry = logged.Entry;
        await using var insert = new NpgsqlCommand("""
            INSERT INTO ingest.scoresheet_entry (scoresheet_id, target, rating_column, score, counts, flag, reason, entered_by, entered_at, old_score, new_score,
                                                 auto_score, action, import_id)
            VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12, $13, $14)
            """, connection, tx);
        insert.Parameters.AddWithValue(sheet.Id);
        insert.Parameters.AddWithValue(entry.Target);
        insert.Parameters.AddWithValue(ColumnName(entry.Column));
        insert.Parameters.Add(Nullable(entry.Value.Score));
        insert.Parameters.Add(new NpgsqlParameter { Value = entry.Value.Counts is null ? DBNull.Value : JsonSerializer.Serialize(entry.Value.Counts, Json), NpgsqlDbType = NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter { Value = entry.Value.Flag is { } f ? f : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Boolean });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.Value.Reason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        insert.Parameters.AddWithValue(entry.By);
        insert.Parameters.AddWithValue(entry.At);
        insert.Parameters.Add(Nullable(logged.Before));
        insert.Parameters.Add(Nullable(logged.After));
        insert.Parameters.Add(Nullable(logged.AutoScore));
        insert.Parameters.AddWithValue(entry.Value.IsWithdrawal ? "withdraw" : "set");
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)importId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        await insert.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Records the level the school applies for (申报星级), or clears it.</summary>
    public async Task SetAppliedStarsAsync(long scoresheetId, int? stars, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(by);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand("""
            UPDATE ingest.scoresheet s SET applied_stars = $2 FROM (SELECT id, applied_stars FROM ingest.scoresheet WHERE id = $1 FOR UPDATE) old
            WHERE s.id = old.id RETURNING s.org_code, s.cycle, old.applied_stars
            """, connection, tx);
        command.Parameters.AddWithValue(scoresheetId);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)stars ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        string org, cycle;
        int? before;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                throw new ScoresheetException($"评分表 {scoresheetId} 不存在");
            }

            (org, cycle, before) = (reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt32(2));
        }

        if (before != stars)
        {
            await AuditStore.AppendAsync(connection, tx, by, new AuditEvent(AuditActions.SheetAppliedStars, org, cycle, new { stars = before }, new { stars }), clock.GetUtcNow(), ct);
        }

        await tx.CommitAsync(ct);
    }

    private static object? AuditValue(EntryValue? value) =>
        value is null ? null : new { value.Score, value.Counts, value.Flag, value.Reason, withdraw = value.IsWithdrawal };
}
