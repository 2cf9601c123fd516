using DbUp;
using DbUp.Postgresql;
using Ingest.Core.Indicators;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ingest.Data.Schema;

/// <summary>
/// Brings the database to the current schema: forward-only numbered scripts (<c>Migrations/NNNN_*.sql</c>,
/// embedded) run by DbUp, then the indicator catalogue synchronised from code. Safe to run from several
/// hosts at once: the work happens under a PostgreSQL advisory lock.
/// </summary>
public sealed class DatabaseMigrator(NpgsqlDataSource dataSource, ILogger<DatabaseMigrator> logger)
{
    // Arbitrary constant shared by every host of this service: "ingest-migrate".
    private const long MigrationLockKey = 0x696E_6765_7374_6D;

    /// <summary>Applies what is missing and returns the names of the scripts applied now (empty when up to date).</summary>
    /// <exception cref="MigrationException">A script failed; the message names it. Nothing of that script remains.</exception>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, "SELECT pg_advisory_lock($1)", cancellationToken, MigrationLockKey);
        try
        {
            await ExecuteAsync(connection, "CREATE SCHEMA IF NOT EXISTS ingest", cancellationToken);
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(new PostgresqlConnectionManager(dataSource))
                .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly, name => name.Contains(".Migrations.", StringComparison.Ordinal))
                .JournalToPostgresqlTable("ingest", "schema_version")
                .WithTransactionPerScript()
                .LogTo(logger)
                .Build();
            var result = upgrader.PerformUpgrade();
            if (!result.Successful)
            {
                throw new MigrationException($"Migration {result.ErrorScript?.Name ?? "?"} failed: {result.Error?.Message}", result.Error);
            }

            await SyncCatalogueAsync(connection, cancellationToken);
            return result.Scripts.Select(s => s.Name).ToArray();
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock($1)", CancellationToken.None, MigrationLockKey);
        }
    }

    /// <summary>
    /// Gives the service's own role what it needs and no more, run as the owner after migrating: every table of the
    /// schema to read and write, except the audit trail, which it may only read and append to (no UPDATE, DELETE or
    /// TRUNCATE, and not owning it, it cannot ALTER TABLE … DISABLE TRIGGER); the schema journal it only reads. CREATE
    /// on the database lets Hangfire make its own schema; TEMPORARY the staging tables of bulk writes.
    /// </summary>
    public async Task GrantApplicationRoleAsync(string role, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var r = Quote(role);
        await using var database = new NpgsqlCommand("SELECT current_database()", connection);
        var name = Quote((string)(await database.ExecuteScalarAsync(cancellationToken))!);
        var sql = $"""
            GRANT CONNECT, TEMPORARY, CREATE ON DATABASE {name} TO {r};
            GRANT USAGE ON SCHEMA ingest TO {r};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ingest TO {r};
            GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ingest TO {r};
            GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ingest TO {r};
            REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ingest.audit_event FROM {r};
            REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ingest.schema_version FROM {r};
            """;
        await using var grant = new NpgsqlCommand(sql, connection);
        await grant.ExecuteNonQueryAsync(cancellationToken);
        logger.LogInformation("Granted the service role {Role} its rights on the schema (the audit trail: read and append only)", role);
    }

    /// <summary>Whether <paramref name="role"/> could change the audit trail: a superuser, or a member of the role that owns it.</summary>
    public async Task<bool> CanBypassAuditAsync(string role, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT r.rolsuper OR pg_has_role(r.oid, t.tableowner, 'MEMBER')
            FROM pg_roles r, pg_tables t WHERE r.rolname = $1 AND t.schemaname = 'ingest' AND t.tablename = 'audit_event'
            """);
        command.Parameters.AddWithValue(role);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task SyncCatalogueAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO ingest.indicator (code, name_zh, unit, formula, source, aggregation)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
            ON CONFLICT (code) DO UPDATE SET
                name_zh = excluded.name_zh, unit = excluded.unit, formula = excluded.formula,
                source = excluded.source, aggregation = excluded.aggregation
            """;
        var all = IndicatorCatalogue.All;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(all.Select(i => i.Code).ToArray());
        command.Parameters.AddWithValue(all.Select(i => i.NameZh).ToArray());
        command.Parameters.AddWithValue(all.Select(i => i.Unit).ToArray());
        command.Parameters.AddWithValue(all.Select(i => i.Formula).ToArray());
        command.Parameters.AddWithValue(all.Select(i => i.Source).ToArray());
        command.Parameters.AddWithValue(all.Select(i => AggregationName(i.Aggregation)).ToArray());
        await command.ExecuteNonQueryAsync(ct);
    }

    internal static string AggregationName(Aggregation aggregation) => aggregation switch
    {
        Aggregation.RatioOfSums => "ratio_of_sums",
        Aggregation.Sum => "sum",
        _ => "none",
    };

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters)
        {
            command.Parameters.AddWithValue(p);
        }

        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>A migration script failed.</summary>
public sealed class MigrationException : Exception
{
    public MigrationException()
    {
    }

    public MigrationException(string message)
        : base(message)
    {
    }

    public MigrationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
