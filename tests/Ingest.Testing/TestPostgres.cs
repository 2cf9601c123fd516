using Ingest.Data.Embedded;
using Ingest.Data.Schema;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Ingest.Testing;

/// <summary>
/// One real PostgreSQL server for the whole test process, started from the machine's server programs in a
/// temporary folder and stopped when the process exits; or the server of <c>INGEST_TEST_CONNECTION</c>
/// (a role that may create databases). Every test gets a database of its own.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<Task<Server>> Shared = new(StartAsync);
    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? migratedTemplate;
    private static readonly Dictionary<string, string> Templates = new(StringComparer.Ordinal);

    /// <summary>A new, empty database; returns its connection string.</summary>
    public static async Task<string> CreateEmptyDatabaseAsync()
    {
        var server = await Shared.Value;
        return await CreateDatabaseAsync(server, template: null);
    }

    /// <summary>A new database at the current schema (cloned from a template migrated once per process).</summary>
    public static async Task<string> CreateMigratedDatabaseAsync()
    {
        var server = await Shared.Value;
        // CREATE DATABASE … TEMPLATE needs the template to be idle: the template is made, and cloned, one at a time.
        await TemplateGate.WaitAsync();
        try
        {
            if (migratedTemplate is null)
            {
                var cs = await CreateDatabaseAsync(server, template: null);
                await using (var ds = NpgsqlDataSource.Create(cs))
                {
                    await new DatabaseMigrator(ds, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
                }

                NpgsqlConnection.ClearAllPools();
                migratedTemplate = new NpgsqlConnectionStringBuilder(cs).Database;
            }

            return await CreateDatabaseAsync(server, migratedTemplate);
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    /// <summary>
    /// A new database cloned from the template named <paramref name="key"/>, which <paramref name="prepare"/> builds once
    /// per process from an empty database (e.g. the service's schema and its scheduler's, as a host leaves them at its
    /// first start): tests that each start a host skip the set-up every first start repeats.
    /// </summary>
    public static async Task<string> CreateFromTemplateAsync(string key, Func<string, Task> prepare)
    {
        ArgumentNullException.ThrowIfNull(prepare);
        var server = await Shared.Value;
        await TemplateGate.WaitAsync();
        try
        {
            if (!Templates.TryGetValue(key, out var template))
            {
                var cs = await CreateDatabaseAsync(server, template: null);
                // Cloning needs the template idle: prepare gets a connection string without pooling, so that nothing it
                // opened stays open on the template.
                await prepare(new NpgsqlConnectionStringBuilder(cs) { Pooling = false }.ConnectionString);
                Templates[key] = template = new NpgsqlConnectionStringBuilder(cs).Database!;
            }

            return await CreateDatabaseAsync(server, template);
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    /// <summary>
    /// The same database as the service's application role (<c>ingest_app</c>, which the test cluster has, as the
    /// embedded default does): the service is tested with the rights it has in production. An external server of
    /// <c>INGEST_TEST_CONNECTION</c> is used with its one role.
    /// </summary>
    public static async Task<string> AsApplicationRoleAsync(string connectionString)
    {
        var server = await Shared.Value;
        return server.Cluster is null ? connectionString
            : new NpgsqlConnectionStringBuilder(connectionString) { Username = EmbeddedPostgresCluster.ApplicationRole }.ConnectionString;
    }

    private static async Task<string> CreateDatabaseAsync(Server server, string? template)
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(server.AdminConnectionString))
        {
            await connection.OpenAsync();
            // FILE_COPY copies the template's files as they are; the default (WAL_LOG) writes every page of it through the
            // buffer pool and the log, twice the work for a database thrown away after one test.
            var sql = template is null ? $"CREATE DATABASE {name}" : $"CREATE DATABASE {name} TEMPLATE {template} STRATEGY = FILE_COPY";
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Database = name }.ConnectionString;
    }

    private static async Task<Server> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable("INGEST_TEST_CONNECTION");
        if (!string.IsNullOrWhiteSpace(external))
        {
            return new Server(external, null);
        }

        RemoveLeftovers();
        var root = Path.Combine(Path.GetTempPath(), "ingest-test-pg-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8]);
        var cluster = await EmbeddedPostgresCluster.StartAsync(
            new EmbeddedPostgresOptions { DataDirectory = root },
            root,
            NullLogger.Instance,
            // Throwaway data: durability costs time and buys nothing here. Test classes run side by side, each host with
            // its own pools and Hangfire workers (and the browser scenarios keep one host up for their class): room for all.
            // No autovacuum: a test's database lives for one test, and the launcher would otherwise visit each of the
            // hundreds made, starting a server process for each visit.
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=500 -c autovacuum=off");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            cluster.StopAsync().GetAwaiter().GetResult();
            // The test runner ends this process moments after ProcessExit begins; a separate rm outlives it.
            using var rm = System.Diagnostics.Process.Start("rm", ["-rf", root, root + ".lock"]);
        };
        Watch(root);
        return new Server(cluster.AdminConnectionString, cluster);
    }

    /// <summary>
    /// However this test process ends (killed by the runner on a timeout, a crash, Ctrl+C), its cluster goes with it: a
    /// watcher in a session of its own, forked away so that it is no child of this process (a runner that kills the
    /// process tree does not reach it), waits for the process to be gone, then stops the server it left (immediate
    /// shutdown, as root may signal the server's user) and removes its folder.
    /// </summary>
    private static void Watch(string root)
    {
        var script = $"""
            while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done
            for pid in $(head -n 1 -q '{root}'/data/postmaster.pid '{root}'/postmaster.pid 2>/dev/null); do kill -QUIT "$pid" 2>/dev/null; done
            sleep 2
            rm -rf '{root}' '{root}.lock'
            """;
        var watcher = new System.Diagnostics.ProcessStartInfo("setsid", ["--fork", "sh", "-c", script])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(watcher);
    }

    // A test process that was killed leaves its folder behind; the next one clears folders of dead processes.
    private static void RemoveLeftovers()
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(Path.GetTempPath(), "ingest-test-pg-*"))
        {
            var parts = Path.GetFileName(path).Split('-');
            if (parts.Length >= 4 && int.TryParse(parts[3], out var pid) && !Directory.Exists("/proc/" + pid))
            {
                TryDelete(path.EndsWith(".lock", StringComparison.Ordinal) ? path[..^5] : path);
            }
        }
    }

    private static void TryDelete(string root)
    {
        try
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }

            File.Delete(root + ".lock");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed record Server(string AdminConnectionString, EmbeddedPostgresCluster? Cluster);
}
