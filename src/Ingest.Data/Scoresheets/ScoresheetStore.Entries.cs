using System.Text.Json;
using Ingest.Core.Sheets;
using Ingest.Data.Audit;
using Npgsql;
using NpgsqlTypes;
using static Ingest.Data.Scoresheets.ScoresheetRows;

namespace Ingest.Data.Scoresheets;

public sealed partial class ScoresheetStore
{
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
        await using (var lockRow = new NpgsqlCommand("SELECT rubric_id, org_code, cycle, frozen_columns FROM ingest.scoresheet WHERE id = $1 FOR UPDATE", connection, tx))
        {
            lockRow.Parameters.AddWithValue(scoresheetId);
            await using var reader = await lockRow.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                throw new ScoresheetException($"评分表 {scoresheetId} 不存在");
            }

            sheet = new LockedSheet(scoresheetId, reader.GetString(0), reader.GetString(1), reader.GetString(2), null!, null!, clock.GetUtcNow(),
                reader.GetFieldValue<string[]>(3).Select(ScoresheetRows.ParseColumn).ToArray());
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
                                                 auto_score, action, import_id, evidence)
            VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
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
        insert.Parameters.Add(new NpgsqlParameter { Value = entry.Value.Files.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await insert.ExecuteNonQueryAsync(ct);
    }

    private static object? AuditValue(EntryValue? value) =>
        value is null ? null : new { value.Score, value.Counts, value.Flag, value.Reason, files = value.Files.Count == 0 ? null : value.Files, withdraw = value.IsWithdrawal };
}
