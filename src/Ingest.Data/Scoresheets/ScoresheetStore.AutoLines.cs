using Npgsql;
using NpgsqlTypes;

namespace Ingest.Data.Scoresheets;

public sealed partial class ScoresheetStore
{
    private static async Task WriteAutoLinesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<AutoLine> lines, CancellationToken ct)
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
}
