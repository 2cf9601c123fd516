using Ingest.Core.Facts;
using Ingest.Core.Indicators;
using Npgsql;
using NpgsqlTypes;

namespace Ingest.Data.Facts;

/// <summary>Counts of what a batch write did to the fact table.</summary>
public sealed record FactWriteResult(int Inserted, int Updated, int Unchanged);

/// <summary>
/// Writes indicator facts: binary COPY into a staging table, then one set-based upsert that inserts what is
/// new, replaces what changed (the old value kept in <c>ingest.fact_history</c>) and confirms what is unchanged.
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

    // One statement: new facts are inserted; an existing fact found through the primary key takes the new
    // value (its old one goes to fact_history by trigger, migration 0003) or, unchanged, only the last-seen marks.
    // run_id and fetched_at say which run recorded the current value, so they move only when it changes.
    private const string Upsert = """
        WITH written AS (
        INSERT INTO ingest.fact AS f (org_code, indicator_code, period, source, value, numerator, denominator, unit, detail,
                                      run_id, fetched_at, last_seen_run_id, last_seen_at)
        SELECT org_code, indicator_code, period, source, value, numerator, denominator, unit, detail, $1, $2, $1, $2
        FROM fact_stage
        ON CONFLICT (org_code, indicator_code, period, source) DO UPDATE SET
            value = excluded.value, numerator = excluded.numerator, denominator = excluded.denominator,
            unit = excluded.unit, detail = excluded.detail,
            run_id = CASE WHEN (f.value, f.numerator, f.denominator, f.unit, f.detail)
                               IS DISTINCT FROM (excluded.value, excluded.numerator, excluded.denominator, excluded.unit, excluded.detail)
                          THEN excluded.run_id ELSE f.run_id END,
            fetched_at = CASE WHEN (f.value, f.numerator, f.denominator, f.unit, f.detail)
                                   IS DISTINCT FROM (excluded.value, excluded.numerator, excluded.denominator, excluded.unit, excluded.detail)
                              THEN excluded.fetched_at ELSE f.fetched_at END,
            last_seen_run_id = excluded.last_seen_run_id, last_seen_at = excluded.last_seen_at
        RETURNING (xmax = 0) AS inserted, (fetched_at = $2 AND run_id = $1) AS recorded_now)
        -- Counted here: one row back to the client per batch, not one per fact.
        SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted AND recorded_now),
               count(*) FILTER (WHERE NOT inserted AND NOT recorded_now)
        FROM written
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

        await using (var stage = new NpgsqlCommand(CreateStage, connection, transaction))
        {
            await stage.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var writer = await connection.BeginBinaryImportAsync(CopyStage, cancellationToken))
        {
            foreach (var f in facts)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(f.OrgCode, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(f.IndicatorCode, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(f.Period, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(f.Source, NpgsqlDbType.Text, cancellationToken);
                await WriteNullable(writer, Stored(f.Value), NpgsqlDbType.Numeric, cancellationToken);
                await WriteNullable(writer, Stored(f.Numerator), NpgsqlDbType.Numeric, cancellationToken);
                await WriteNullable(writer, Stored(f.Denominator), NpgsqlDbType.Numeric, cancellationToken);
                await WriteNullable(writer, f.Unit, NpgsqlDbType.Text, cancellationToken);
                await WriteNullable(writer, f.Detail, NpgsqlDbType.Jsonb, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        int inserted = 0, updated = 0, unchanged = 0;
        await using (var upsert = new NpgsqlCommand(Upsert, connection, transaction))
        {
            upsert.Parameters.AddWithValue(runId);
            upsert.Parameters.AddWithValue(fetchedAt);
            await using var reader = await upsert.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (inserted, updated, unchanged) = ((int)reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2));
        }

        return new FactWriteResult(inserted, updated, unchanged);
    }

    /// <summary>Fractional digits a figure is stored with (migration 0017).</summary>
    public const int Scale = 16;

    /// <summary>
    /// A figure as stored: rounded to <see cref="Scale"/> fractional digits. A quotient such as 10 ÷ 3 carries 28 of them,
    /// and PostgreSQL gives back a numeric of 29 significant digits that the driver cannot turn into a decimal again
    /// (npgsql/npgsql#5762); 16 keep every comparison the rubrics make exact and leave room for 12 integer digits.
    /// </summary>
    public static decimal? Stored(decimal? value) => value is { } v ? decimal.Round(v, Scale, MidpointRounding.ToEven) : null;

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
}
