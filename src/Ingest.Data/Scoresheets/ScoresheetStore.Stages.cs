using Ingest.Core.Sheets;
using Ingest.Data.Audit;
using Npgsql;
using static Ingest.Data.Scoresheets.ScoresheetRows;

namespace Ingest.Data.Scoresheets;

/// <summary>A sheet finalised (备案) or reopened: which columns stayed frozen after it, why, who and when.</summary>
public sealed record SheetStage(long SheetId, string Action, IReadOnlyList<Column> Columns, string? Reason, string By, DateTimeOffset At);

public sealed partial class ScoresheetStore
{
    /// <summary>
    /// Sets the frozen columns of the sheets (<paramref name="columns"/> empty: reopened) in one transaction, under their
    /// row locks, with a stage row and an audit line for each sheet whose columns change.
    /// </summary>
    /// <returns>The sheets whose frozen columns changed.</returns>
    public async Task<int> SetFrozenAsync(IReadOnlyList<long> sheetIds, IReadOnlyList<Column> columns, string? reason, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sheetIds);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(by);
        var names = columns.Select(ColumnName).Order(StringComparer.Ordinal).ToArray();
        var action = names.Length == 0 ? "reopen" : "finalise";
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var changed = new List<(long Id, string Org, string Cycle, string[] Before)>();
        await using (var update = new NpgsqlCommand("""
            UPDATE ingest.scoresheet s SET frozen_columns = $2
            FROM (SELECT id, frozen_columns FROM ingest.scoresheet WHERE id = ANY($1) ORDER BY id FOR UPDATE) old
            WHERE s.id = old.id AND old.frozen_columns IS DISTINCT FROM $2
            RETURNING s.id, s.org_code, s.cycle, old.frozen_columns
            """, connection, tx))
        {
            update.Parameters.AddWithValue(sheetIds.ToArray());
            update.Parameters.AddWithValue(names);
            await using var reader = await update.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                changed.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<string[]>(3)));
            }
        }

        foreach (var (id, org, cycle, before) in changed.OrderBy(c => c.Org, StringComparer.Ordinal))
        {
            await using (var stage = new NpgsqlCommand(
                "INSERT INTO ingest.scoresheet_stage (scoresheet_id, action, columns, reason, done_by, done_at) VALUES ($1, $2, $3, $4, $5, $6)", connection, tx))
            {
                stage.Parameters.AddWithValue(id);
                stage.Parameters.AddWithValue(action);
                stage.Parameters.AddWithValue(names);
                stage.Parameters.Add(new NpgsqlParameter { Value = (object?)reason ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
                stage.Parameters.AddWithValue(by.Name.Trim());
                stage.Parameters.AddWithValue(now);
                await stage.ExecuteNonQueryAsync(ct);
            }

            await AuditStore.AppendAsync(connection, tx, by, new AuditEvent(names.Length == 0 ? AuditActions.SheetReopen : AuditActions.SheetFinalise, org,
                reason is null ? cycle : $"{cycle} {reason}", new { frozen = before }, new { frozen = names }), now, ct);
        }

        await tx.CommitAsync(ct);
        return changed.Count;
    }

    /// <summary>Every finalising and reopening of a sheet, oldest first.</summary>
    public async Task<IReadOnlyList<SheetStage>> ListStagesAsync(long sheetId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT action, columns, reason, done_by, done_at FROM ingest.scoresheet_stage WHERE scoresheet_id = $1 ORDER BY id");
        command.Parameters.AddWithValue(sheetId);
        var list = new List<SheetStage>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new SheetStage(sheetId, reader.GetString(0), reader.GetFieldValue<string[]>(1).Select(ParseColumn).ToArray(),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return list;
    }
}
