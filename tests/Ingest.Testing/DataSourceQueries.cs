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

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        return await dataSource.ScalarAsync<T>(sql);
    }
}
