using Ingest.Core.Facts;
using Ingest.Core.Indicators;
using Npgsql;
using NpgsqlTypes;

namespace Ingest.Data.Facts;

/// <summary>Counts of what a batch write did to the fact table.</summary>
public sealed record FactWriteResult(int Inserted, int Updated, int Unchanged);

/// <summary>
/// Writes indicator facts: binary COPY into a staging table, then set-based statements that keep the
/// replaced values in <c>ingest.fact_history</c>, insert what is new and confirm what is unchanged.
/// </summary>
public static class FactStore
{
    private const string CreateStage = """
        CREATE TEMP TABLE fact_stage (
            org_code text NOT NULL, indicator_code text NOT NULL, period text NOT NULL, source text NOT NULL,
            value numeric, numerator numeric, denominator numeric, unit text, detail jsonb
        ) ON COMMIT DROP
        """;

    private const string CopyStage = """
        COPY fact_stage (org_code, indicator_code, period, source, value, numerator, denominator, unit, detail)
        FROM STDIN (FORMAT BINARY)
        """;

    // Same value as stored: only confirm that this run saw it too.
    private const string ConfirmUnchanged = """
        UPDATE ingest.fact f SET last_seen_run_id = $1, last_seen_at = $2
        FROM fact_stage s
        WHERE (f.org_code, f.indicator_code, f.period, f.source) = (s.org_code, s.indicator_code, s.period, s.source)
          AND (f.value, f.numerator, f.denominator, f.unit, f.detail) IS NOT DISTINCT FROM (s.value, s.numerator, s.denominator, s.unit, s.detail)
        """;

    // A changed value: the old version goes to history before it is replaced.
    private const string KeepHistory = """
        INSERT INTO ingest.fact_history (org_code, indicator_code, period, source, value, numerator, denominator, unit, detail,
                                         run_id, fetched_at, superseded_at, superseded_by_run_id)
        SELECT f.org_code, f.indicator_code, f.period, f.source, f.value, f.numerator, f.denominator, f.unit, f.detail,
               f.run_id, f.fetched_at, $2, $1
        FROM ingest.fact f JOIN fact_stage s
          ON (f.org_code, f.indicator_code, f.period, f.source) = (s.org_code, s.indicator_code, s.period, s.source)
        WHERE (f.value, f.numerator, f.denominator, f.unit, f.detail) IS DISTINCT FROM (s.value, s.numerator, s.denominator, s.unit, s.detail)
        """;

    private const string Upsert = """
        INSERT INTO ingest.fact AS f (org_code, indicator_code, period, source, value, numerator, denominator, unit, detail,
                                      run_id, fetched_at, last_seen_run_id, last_seen_at)
        SELECT org_code, indicator_code, period, source, value, numerator, denominator, unit, detail, $1, $2, $1, $2
        FROM fact_stage
        ON CONFLICT (org_code, indicator_code, period, source) DO UPDATE SET
            value = excluded.value, numerator = excluded.numerator, denominator = excluded.denominator,
            unit = excluded.unit, detail = excluded.detail, run_id = excluded.run_id, fetched_at = excluded.fetched_at,
            last_seen_run_id = excluded.last_seen_run_id, last_seen_at = excluded.last_seen_at
        WHERE (f.value, f.numerator, f.denominator, f.unit, f.detail)
              IS DISTINCT FROM (excluded.value, excluded.numerator, excluded.denominator, excluded.unit, excluded.detail)
        RETURNING (xmax = 0) AS inserted
        """;

    /// <summary>
    /// Writes <paramref name="facts"/> inside the caller's transaction. Writing the same batch again changes
    /// nothing but the last-seen marks; a changed value moves the old one to history.
    /// </summary>
    /// <exception cref="ArgumentException">Two facts share a key, or a fact names an indicator the catalogue lacks.</exception>
    public static async Task<FactWriteResult> WriteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyCollection<IndicatorFact> facts,
        long runId, DateTimeOffset fetchedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(facts);
        Validate(facts);
        fetchedAt = fetchedAt.ToUniversalTime();
        if (facts.Count == 0)
        {
            return new FactWriteResult(0, 0, 0);
        }

        // Writers of one (source, period) take turns for the few milliseconds of the write, so the history of a
        // fact two writers touch at once (a unit and the region roll-up, two hosts) is exact. Sorted: no deadlock.
        foreach (var scope in facts.Select(f => f.Source + "/" + f.Period).Distinct().Order(StringComparer.Ordinal))
        {
            await Execute(connection, transaction, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", cancellationToken, scope);
        }

        await Execute(connection, transaction, CreateStage, cancellationToken);
        await using (var writer = await connection.BeginBinaryImportAsync(CopyStage, cancellationToken))
        {
            foreach (var f in facts)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(f.OrgCode, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(f.IndicatorCode, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(f.Period, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(f.Source, NpgsqlDbType.Text, cancellationToken);
                await WriteNullable(writer, f.Value, NpgsqlDbType.Numeric, cancellationToken);
                await WriteNullable(writer, f.Numerator, NpgsqlDbType.Numeric, cancellationToken);
                await WriteNullable(writer, f.Denominator, NpgsqlDbType.Numeric, cancellationToken);
                await WriteNullable(writer, f.Unit, NpgsqlDbType.Text, cancellationToken);
                await WriteNullable(writer, f.Detail, NpgsqlDbType.Jsonb, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        var unchanged = await Execute(connection, transaction, ConfirmUnchanged, cancellationToken, runId, fetchedAt);
        await Execute(connection, transaction, KeepHistory, cancellationToken, runId, fetchedAt);
        int inserted = 0, updated = 0;
        await using (var upsert = new NpgsqlCommand(Upsert, connection, transaction))
        {
            upsert.Parameters.AddWithValue(runId);
            upsert.Parameters.AddWithValue(fetchedAt);
            await using var reader = await upsert.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.GetBoolean(0))
                {
                    inserted++;
                }
                else
                {
                    updated++;
                }
            }
        }

        return new FactWriteResult(inserted, updated, unchanged);
    }

    private static void Validate(IReadOnlyCollection<IndicatorFact> facts)
    {
        var keys = new HashSet<(string, string, string, string)>();
        foreach (var f in facts)
        {
            if (IndicatorCatalogue.Find(f.IndicatorCode) is null)
            {
                throw new ArgumentException($"Fact for {f.OrgCode} names indicator '{f.IndicatorCode}', which is not in the catalogue.", nameof(facts));
            }

            if (!keys.Add((f.OrgCode, f.IndicatorCode, f.Period, f.Source)))
            {
                throw new ArgumentException(
                    $"The batch holds two facts for ({f.OrgCode}, {f.IndicatorCode}, {f.Period}, {f.Source}); a batch must hold each key once.",
                    nameof(facts));
            }
        }
    }

    private static async Task WriteNullable<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken ct)
    {
        if (value is null)
        {
            await writer.WriteNullAsync(ct);
        }
        else
        {
            await writer.WriteAsync(value, type, ct);
        }
    }

    private static async Task<int> Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var p in parameters)
        {
            command.Parameters.AddWithValue(p);
        }

        return await command.ExecuteNonQueryAsync(ct);
    }
}
