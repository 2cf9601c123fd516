using Npgsql;

namespace Ingest.Data.Facts;

/// <summary>A stored fact, current or a version a later run replaced.</summary>
/// <param name="SupersededAt">When a later run replaced this value; null for the current value.</param>
public sealed record StoredFact(
    string OrgCode,
    string IndicatorCode,
    string Period,
    string Source,
    decimal? Value,
    decimal? Numerator,
    decimal? Denominator,
    string? Unit,
    string? Detail,
    long RunId,
    DateTimeOffset FetchedAt,
    DateTimeOffset? SupersededAt);

/// <summary>Reads facts for people: current values, and what a figure was at an earlier time.</summary>
public sealed class FactReader(NpgsqlDataSource dataSource)
{
    private const string Columns = "org_code, indicator_code, period, source, value, numerator, denominator, unit, detail::text, run_id, fetched_at";

    /// <summary>
    /// Current facts, filtered by any of organisation, indicator and period (null matches all): the region first,
    /// then counties, then schools (codes of 6 digits before codes of 10), each in code order.
    /// </summary>
    public async Task<IReadOnlyList<StoredFact>> ListAsync(string? orgCode, string? indicatorCode, string? period, int limit,
        CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT {Columns}, NULL::timestamptz FROM ingest.fact
            WHERE ($1::text IS NULL OR org_code = $1) AND ($2::text IS NULL OR indicator_code = $2) AND ($3::text IS NULL OR period = $3)
            ORDER BY length(org_code), org_code, indicator_code, period, source LIMIT $4
            """;
        return await QueryAsync(sql, cancellationToken, orgCode, indicatorCode, period, limit);
    }

    /// <summary>Every version of one fact, oldest first; the last one is current unless the fact is gone.</summary>
    public async Task<IReadOnlyList<StoredFact>> HistoryAsync(string orgCode, string indicatorCode, string period, string source,
        CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT {Columns}, superseded_at FROM ingest.fact_history
            WHERE org_code = $1 AND indicator_code = $2 AND period = $3 AND source = $4
            UNION ALL
            SELECT {Columns}, NULL::timestamptz FROM ingest.fact
            WHERE org_code = $1 AND indicator_code = $2 AND period = $3 AND source = $4
            ORDER BY fetched_at
            """;
        return await QueryAsync(sql, cancellationToken, orgCode, indicatorCode, period, source);
    }

    /// <summary>The value of one fact as it stood at <paramref name="at"/>, or null when it had none yet.</summary>
    public async Task<StoredFact?> AsOfAsync(string orgCode, string indicatorCode, string period, string source, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        var history = await HistoryAsync(orgCode, indicatorCode, period, source, cancellationToken);
        return history.LastOrDefault(v => v.FetchedAt <= at && (v.SupersededAt is null || v.SupersededAt > at));
    }

    private async Task<IReadOnlyList<StoredFact>> QueryAsync(string sql, CancellationToken ct, params object?[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p ?? DBNull.Value, NpgsqlDbType = p is int ? NpgsqlTypes.NpgsqlDbType.Integer : NpgsqlTypes.NpgsqlDbType.Text });
        }

        await using var reader = await command.ExecuteReaderAsync(ct);
        var facts = new List<StoredFact>();
        while (await reader.ReadAsync(ct))
        {
            facts.Add(new StoredFact(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetDecimal(4),
                reader.IsDBNull(5) ? null : reader.GetDecimal(5),
                reader.IsDBNull(6) ? null : reader.GetDecimal(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.GetInt64(9),
                reader.GetFieldValue<DateTimeOffset>(10),
                reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11)));
        }

        return facts;
    }
}
