using Ingest.Data.Embedded;

namespace Ingest.Host.Database;

/// <summary>The database the service uses, and the local cluster behind it when it started one.</summary>
public sealed class DatabaseHandle(string connectionString, EmbeddedPostgresCluster? cluster, IDisposable? logging = null, string? ownerConnectionString = null)
    : IAsyncDisposable
{
    /// <summary>The service's connection: the application role.</summary>
    public string ConnectionString { get; } = connectionString;

    /// <summary>The owner role's connection, which migrates; the service's own when only one is configured.</summary>
    public string OwnerConnectionString { get; } = ownerConnectionString ?? connectionString;

    /// <summary>Whether migrations run as a role of their own, which then grants the service's role its rights.</summary>
    public bool SeparateRoles => OwnerConnectionString != ConnectionString;

    /// <summary>The service's database role.</summary>
    public string ApplicationRole => new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Username ?? string.Empty;

    /// <summary>
    /// Brings the schema up to date as the owner role and grants the application role its rights (read and append only
    /// on the audit trail). Returns the scripts applied now.
    /// </summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(ILoggerFactory loggers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        await using var owner = Npgsql.NpgsqlDataSource.Create(OwnerConnectionString);
        var migrator = new Ingest.Data.Schema.DatabaseMigrator(owner, loggers.CreateLogger<Ingest.Data.Schema.DatabaseMigrator>());
        var applied = await migrator.MigrateAsync(ct);
        if (SeparateRoles)
        {
            await migrator.GrantApplicationRoleAsync(ApplicationRole, ct);
        }

        return applied;
    }

    /// <summary>Whether the service's role could change or unprotect the audit trail (a superuser, or its owner).</summary>
    public async Task<bool> ServiceCanBypassAuditAsync(CancellationToken ct)
    {
        await using var owner = Npgsql.NpgsqlDataSource.Create(OwnerConnectionString);
        return await new Ingest.Data.Schema.DatabaseMigrator(owner, Microsoft.Extensions.Logging.Abstractions.NullLogger<Ingest.Data.Schema.DatabaseMigrator>.Instance)
            .CanBypassAuditAsync(ApplicationRole, ct);
    }

    /// <summary>The local cluster, when no connection string was configured.</summary>
    public EmbeddedPostgresCluster? Cluster { get; } = cluster;

    /// <summary>Stops the local cluster if this process started it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        logging?.Dispose();
    }
}

public static class DatabaseBootstrap
{
    /// <summary>
    /// Uses <c>ConnectionStrings:Ingest</c> when it is set; otherwise starts (or attaches to) the local
    /// cluster described by <c>Ingest:EmbeddedPostgres</c>.
    /// </summary>
    /// <exception cref="EmbeddedPostgresException">The local cluster cannot be used; the message is one line for the user.</exception>
    /// <param name="minimumLevel">What the local cluster reports on the console (start, stop, a fallback folder):
    /// everything for the service, warnings only for CLI verbs whose output is the point.</param>
    public static async Task<DatabaseHandle> OpenAsync(IConfiguration configuration, LogLevel minimumLevel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration.GetConnectionString("Ingest");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var owner = configuration.GetConnectionString("IngestOwner");
            return new DatabaseHandle(configured, null, ownerConnectionString: string.IsNullOrWhiteSpace(owner) ? null : owner);
        }

        var options = configuration.GetSection(EmbeddedPostgresOptions.Section).Get<EmbeddedPostgresOptions>() ?? new EmbeddedPostgresOptions();
        var root = EmbeddedPostgresCluster.FindRepositoryRoot(AppContext.BaseDirectory);
        // The host's logging does not exist yet (its configuration needs this connection string): a console logger of its own.
        var logging = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(minimumLevel));
        try
        {
            var cluster = await EmbeddedPostgresCluster.StartAsync(options, root, logging.CreateLogger("Ingest.EmbeddedPostgres"),
                cancellationToken: cancellationToken);
            return new DatabaseHandle(cluster.ApplicationConnectionString, cluster, logging, cluster.OwnerConnectionString);
        }
        catch
        {
            logging.Dispose();
            throw;
        }
    }
}
