using Ingest.Core.Connectors;

namespace Ingest.Data.Runs;

public sealed partial class UnitOutcomeStore
{
    /// <summary>The report of the latest earlier run that read this stream for the county and period.</summary>
    public async Task<StreamReport?> PreviousReportAsync(long beforeRunId, string connector, string stream, string countyCode, string period,
        CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT stream, status, pages, rows_read, rows_kept, facts_emitted, note
            FROM ingest.run_stream
            WHERE connector = $1 AND stream = $2 AND county_code = $3 AND period = $4 AND run_id < $5 AND status <> 'failed'
              -- A stream flagged with its facts withheld is no baseline: the next silent night must be flagged too.
              AND NOT (status = 'flagged' AND facts_emitted = 0)
            ORDER BY run_id DESC LIMIT 1
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue(connector);
        command.Parameters.AddWithValue(stream);
        command.Parameters.AddWithValue(countyCode);
        command.Parameters.AddWithValue(period);
        command.Parameters.AddWithValue(beforeRunId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new StreamReport(reader.GetString(0), ParseStatus(reader.GetString(1)), reader.GetInt32(2), reader.GetInt64(3),
            reader.GetInt64(4), reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetString(6));
    }

    internal static string StatusName(StreamStatus status) => status switch
    {
        StreamStatus.Succeeded => "succeeded",
        StreamStatus.Flagged => "flagged",
        _ => "failed",
    };

    private static StreamStatus ParseStatus(string status) => status switch
    {
        "succeeded" => StreamStatus.Succeeded,
        "flagged" => StreamStatus.Flagged,
        _ => StreamStatus.Failed,
    };

    /// <summary>Whether the run has units of the connector for the county and none of them has finished yet.</summary>
    public async Task<bool> AllUnfinishedAsync(long runId, string connector, string countyCode, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT count(*) > 0 AND count(*) FILTER (WHERE status NOT IN ('pending', 'running')) = 0
            FROM ingest.run_unit WHERE run_id = $1 AND connector = $2 AND county_code = $3
            """);
        command.Parameters.AddWithValue(runId);
        command.Parameters.AddWithValue(connector);
        command.Parameters.AddWithValue(countyCode);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Whether a unit of the run, connector and county has committed (its organisations and facts are stored).</summary>
    public async Task<bool> CommittedAnyAsync(long runId, string connector, string countyCode, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT EXISTS (SELECT 1 FROM ingest.run_unit WHERE run_id = $1 AND connector = $2 AND county_code = $3 AND status = 'succeeded')
            """);
        command.Parameters.AddWithValue(runId);
        command.Parameters.AddWithValue(connector);
        command.Parameters.AddWithValue(countyCode);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
