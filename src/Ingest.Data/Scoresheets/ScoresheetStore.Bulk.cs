using System.Text.Json;
using Ingest.Core.Periods;
using Ingest.Data.Audit;
using Npgsql;
using NpgsqlTypes;
using static Ingest.Data.Scoresheets.ScoresheetRows;

namespace Ingest.Data.Scoresheets;

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
    public async Task<BulkScoreOutcome> SaveAutoManyAsync(string rubricId, EvaluationCycle cycle, CyclePeriods periods, IReadOnlyList<SheetAuto> sheets,
        ColumnScorer score, Actor by, AuditEvent why, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(why);
        ArgumentNullException.ThrowIfNull(score);
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
                WHERE s.frozen_columns = '{}'
            RETURNING id, org_code, auto_fingerprint, xmax = 0
            """, connection, tx))
        {
            upsert.Parameters.AddWithValue(ordered.Select(s => s.OrgCode).ToArray());
            upsert.Parameters.AddWithValue(rubricId);
            upsert.Parameters.AddWithValue(cycle.ToString());
            upsert.Parameters.AddWithValue(PeriodsJson(periods));
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
        // A finalised sheet (备案) is left as it stands: the upsert did not touch it, and nothing of it is written.
        ordered = ordered.Where(s => stored.ContainsKey(s.OrgCode)).ToArray();
        if (ordered.Length == 0)
        {
            await tx.CommitAsync(ct);
            return BulkScoreOutcome.None;
        }

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
            var columns = moved.Select(m => (m.Id, score(m.Sheet.Auto, (entries.GetValueOrDefault(m.Id) ?? []).ConvertAll(e => e.Entry)))).ToArray();
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
}
