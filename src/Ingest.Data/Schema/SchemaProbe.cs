using Npgsql;

namespace Ingest.Data.Schema;

/// <summary>Whether the database answers as the service, and how many migrations its schema carries.</summary>
public sealed class SchemaProbe(NpgsqlDataSource dataSource)
{
    /// <summary>The migration scripts applied; a database that does not answer throws <see cref="NpgsqlException"/>.</summary>
    public async Task<long> AppliedScriptsAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM ingest.schema_version");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
