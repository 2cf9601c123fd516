using Npgsql;

namespace Ingest.Data.Embedded;

public sealed partial class EmbeddedPostgresCluster
{
    /// <summary>The owner and application roles (trust authentication on loopback, as the superuser has), made once per cluster.</summary>
    private async Task EnsureRolesAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(ct);
        foreach (var role in new[] { OwnerRole, ApplicationRole })
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_roles WHERE rolname = $1", connection);
            exists.Parameters.AddWithValue(role);
            if (await exists.ExecuteScalarAsync(ct) is not null)
            {
                continue;
            }

            try
            {
                await using var create = new NpgsqlCommand($"CREATE ROLE {QuoteIdentifier(role)} LOGIN", connection);
                await create.ExecuteNonQueryAsync(ct);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.UniqueViolation)
            {
                // Another process made it first.
            }
        }
    }

    /// <summary>Whether the service's schema is (or will be) the owner role's: false for a database an earlier version made as the superuser.</summary>
    private async Task<bool> OwnedByOwnerRoleAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("""
            SELECT coalesce((SELECT pg_get_userbyid(nspowner) = $1 FROM pg_namespace WHERE nspname = 'ingest'), pg_get_userbyid(d.datdba) = $1)
            FROM pg_database d WHERE d.datname = current_database()
            """, connection);
        command.Parameters.AddWithValue(OwnerRole);
        return await command.ExecuteScalarAsync(ct) is true;
    }

    private async Task EnsureDatabaseAsync(string database, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.AddWithValue(database);
        if (await exists.ExecuteScalarAsync(ct) is not null)
        {
            return;
        }

        try
        {
            // An identifier cannot be a parameter; the configured name is quoted, so it cannot inject.
            await using var create = new NpgsqlCommand($"CREATE DATABASE {QuoteIdentifier(database)} OWNER {QuoteIdentifier(OwnerRole)}", connection);
            await create.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase || e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another process created it first.
        }
    }
}
