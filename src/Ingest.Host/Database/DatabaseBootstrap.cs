using Ingest.Data.Embedded;

namespace Ingest.Host.Database;

/// <summary>The database the service uses, and the local cluster behind it when it started one.</summary>
public sealed class DatabaseHandle(string connectionString, EmbeddedPostgresCluster? cluster, IDisposable? logging = null) : IAsyncDisposable
{
    public string ConnectionString { get; } = connectionString;

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
            return new DatabaseHandle(configured, null);
        }

        var options = configuration.GetSection(EmbeddedPostgresOptions.Section).Get<EmbeddedPostgresOptions>() ?? new EmbeddedPostgresOptions();
        var root = EmbeddedPostgresCluster.FindRepositoryRoot(AppContext.BaseDirectory);
        // The host's logging does not exist yet (its configuration needs this connection string): a console logger of its own.
        var logging = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(minimumLevel));
        try
        {
            var cluster = await EmbeddedPostgresCluster.StartAsync(options, root, logging.CreateLogger("Ingest.EmbeddedPostgres"),
                cancellationToken: cancellationToken);
            return new DatabaseHandle(cluster.ConnectionString, cluster, logging);
        }
        catch
        {
            logging.Dispose();
            throw;
        }
    }
}
