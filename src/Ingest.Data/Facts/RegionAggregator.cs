using Ingest.Core.Facts;
using Ingest.Core.Organisations;
using Npgsql;

namespace Ingest.Data.Facts;

/// <summary>
/// Rolls county facts up to the region (640000): ratio indicators as Σ numerator ÷ Σ denominator, counts as
/// Σ value, never a mean of ratios. A county whose value is unknown makes the region's value unknown. The
/// detail records how many counties the figure covers and how many the directory holds, so a comparison
/// with the region can tell an incomplete region from a complete one.
/// </summary>
public sealed class RegionAggregator(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string AggregateSql = """
        SELECT f.indicator_code, i.aggregation, max(f.unit),
               count(*) AS counties, count(*) - count(f.value) AS unknown,
               sum(f.numerator), sum(f.denominator), sum(f.value),
               count(f.numerator) = count(*) AND count(f.denominator) = count(*) AS ratio_complete,
               (SELECT count(*) FROM ingest.organisation WHERE level = 'county') AS counties_in_directory
        FROM ingest.fact f
        JOIN ingest.indicator i ON i.code = f.indicator_code AND i.aggregation <> 'none'
        JOIN ingest.organisation o ON o.code = f.org_code AND o.level = 'county'
        WHERE f.source = $1 AND f.period = $2 AND length(f.org_code) = 6   -- counties' codes: the partial index of migration 0016
        GROUP BY f.indicator_code, i.aggregation
        """;

    /// <summary>Writes the region's facts of one source and period from the county facts now stored.</summary>
    public async Task<FactWriteResult> AggregateAsync(long runId, string source, string period, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var facts = new List<IndicatorFact>();
        await using (var command = new NpgsqlCommand(AggregateSql, connection, transaction))
        {
            command.Parameters.AddWithValue(source);
            command.Parameters.AddWithValue(period);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                facts.Add(Roll(reader, source, period));
            }
        }

        var result = await FactStore.WriteAsync(connection, transaction, facts, runId, clock.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static IndicatorFact Roll(NpgsqlDataReader r, string source, string period)
    {
        var indicator = r.GetString(0);
        var ratio = r.GetString(1) == "ratio_of_sums";
        var unit = r.IsDBNull(2) ? null : r.GetString(2);
        var counties = r.GetInt64(3);
        var unknown = r.GetInt64(4);
        var detail = $$"""{"counties": {{counties}}, "countiesInDirectory": {{r.GetInt64(9)}}, "countiesUnknown": {{unknown}}}""";
        if (ratio)
        {
            if (!r.GetBoolean(8))
            {
                return new IndicatorFact(Organisation.RegionCode, indicator, period, source, null, Unit: unit, Detail: detail);
            }

            var numerator = r.GetDecimal(5);
            var denominator = r.GetDecimal(6);
            return new IndicatorFact(Organisation.RegionCode, indicator, period, source,
                denominator == 0 ? null : numerator / denominator, numerator, denominator, unit, detail);
        }

        decimal? value = unknown > 0 || r.IsDBNull(7) ? null : r.GetDecimal(7);
        return new IndicatorFact(Organisation.RegionCode, indicator, period, source, value, Unit: unit, Detail: detail);
    }
}
