using System.Text.Json;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Data.Audit;
using Npgsql;
using NpgsqlTypes;
using static Ingest.Data.Scoresheets.ScoresheetRows;

namespace Ingest.Data.Scoresheets;

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
}
