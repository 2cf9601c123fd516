using Npgsql;

namespace Ingest.Testing;

/// <summary>One-line reads for assertions: what a person would check with psql.</summary>
public static class DataSourceQueries
{
    public static async Task<T> ScalarAsync<T>(this NpgsqlDataSource dataSource, string sql)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default! : (T)value; // SQL NULL reads as null for a nullable T
    }

    // One pooled data source per database for the whole test process: a check polled every 50 ms reuses its connection
    // instead of starting a server process for each read.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, NpgsqlDataSource> Sources = new(StringComparer.Ordinal);

    public static Task<T> ScalarAsync<T>(string connectionString, string sql) =>
        Sources.GetOrAdd(connectionString, cs => NpgsqlDataSource.Create(cs)).ScalarAsync<T>(sql);
}
