using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ingest.Data.Embedded;

/// <summary>
/// A local PostgreSQL cluster run from the machine's server programs, for development, the demo and tests.
/// Starting it when another process already runs the same cluster attaches to that server instead; only
/// the process that started the server stops it. A server whose starter is gone (killed) is adopted: the process
/// that finds it stops it when it ends.
/// </summary>
public sealed partial class EmbeddedPostgresCluster : IAsyncDisposable
{
    private const string SuperUser = "ingest";
    private readonly string binDirectory;
    private readonly string? runAs;
    private readonly ILogger logger;

    private EmbeddedPostgresCluster(string binDirectory, string? runAs, string root, ILogger logger)
    {
        this.binDirectory = binDirectory;
        this.runAs = runAs;
        this.logger = logger;
        RootDirectory = root;
    }

    /// <summary>Folder of the cluster: <c>data/</c> (PGDATA) and <c>postgres.log</c>.</summary>
    public string RootDirectory { get; }

    public string DataDirectory => Path.Combine(RootDirectory, "data");

    public int Port { get; private set; }

    /// <summary>True when this process started the server (and so stops it).</summary>
    public bool StartedHere { get; private set; }

    /// <summary>Connection string of the service's database on this cluster.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>The role that owns the schema and runs migrations.</summary>
    public const string OwnerRole = "ingest_owner";

    /// <summary>The role the service connects as: it reads and writes the tables, and may only append to the audit trail.</summary>
    public const string ApplicationRole = "ingest_app";

    /// <summary>Connection string of the owner role, for migrations (the superuser's for a database made before the roles were).</summary>
    public string OwnerConnectionString { get; private set; } = string.Empty;

    /// <summary>Connection string of the application role, for the service.</summary>
    public string ApplicationConnectionString { get; private set; } = string.Empty;

    /// <summary>Connection string of the maintenance database (<c>postgres</c>), for creating databases.</summary>
    public string AdminConnectionString => Build("postgres");

    /// <summary>Initialises the cluster when new, starts it (or attaches to it) and creates the database.</summary>
    /// <exception cref="EmbeddedPostgresException">No server programs, or the server would not start; the message says why.</exception>
    public static async Task<EmbeddedPostgresCluster> StartAsync(
        EmbeddedPostgresOptions options, string defaultRoot, ILogger logger, string? extraServerOptions = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var bin = PostgresBinaries.Find(options.BinDirectory)
            ?? throw new EmbeddedPostgresException(PostgresBinaries.NotFound(options.BinDirectory));
        var runAs = Environment.UserName == "root" ? options.ServiceUser : null;
        var root = Path.GetFullPath(options.DataDirectory ?? Path.Combine(defaultRoot, ".data", "postgres"));
        var cluster = new EmbeddedPostgresCluster(bin, runAs, await ChooseRootAsync(root, runAs, logger, cancellationToken), logger);
        await cluster.StartCoreAsync(options, extraServerOptions, cancellationToken);
        return cluster;
    }

    /// <summary>The repository root (folder of Ingest.sln) above <paramref name="start"/>, or <paramref name="start"/> itself.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ingest.sln")))
            {
                return dir.FullName;
            }
        }

        return start;
    }

    /// <summary>Stops the server if this process started it.</summary>
    public async Task StopAsync()
    {
        if (!StartedHere)
        {
            return;
        }

        using var gate = await FileGate.AcquireAsync(RootDirectory + ".lock", CancellationToken.None);
        await RunAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"], CancellationToken.None);
        File.Delete(StarterFile);
        StartedHere = false;
        logger.LogInformation("Stopped the local PostgreSQL cluster in {Root}", RootDirectory);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task StartCoreAsync(EmbeddedPostgresOptions options, string? extraServerOptions, CancellationToken ct)
    {
        // Several processes may start at once against one folder: initialise and start under a file lock.
        using (await FileGate.AcquireAsync(RootDirectory + ".lock", ct))
        {
            if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
            {
                logger.LogInformation("Initialising a local PostgreSQL cluster in {Root}", RootDirectory);
                await RunAsync("initdb", ["-D", DataDirectory, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--locale=C"], ct);
            }

            var running = await RunAsync("pg_ctl", ["status", "-D", DataDirectory], ct, throwOnError: false);
            if (running.ExitCode == 0 && ReadRunningPort() is { } port)
            {
                Port = port;
                if (ReadStarter() is { } starter && IsAlive(starter))
                {
                    logger.LogInformation("Attached to the local PostgreSQL server already running on port {Port}", Port);
                }
                else
                {
                    // Its starter is gone (killed, or crashed) and nobody would stop it: this process takes it over.
                    StartedHere = true;
                    WriteStarter();
                    logger.LogWarning("Adopted the local PostgreSQL server on port {Port}: the process that started it ({Starter}) is gone; " +
                        "this process stops it when it ends", Port, ReadStarterText() ?? "unknown");
                }
            }
            else
            {
                await StartServerAsync(options.Port, extraServerOptions, ct);
            }
        }

        ConnectionString = Build(options.Database);
        await EnsureRolesAsync(ct);
        await EnsureDatabaseAsync(options.Database, ct);
        ApplicationConnectionString = Build(options.Database, ApplicationRole);
        OwnerConnectionString = await OwnedByOwnerRoleAsync(ct) ? Build(options.Database, OwnerRole) : ConnectionString;
    }

    private async Task StartServerAsync(int configuredPort, string? extraServerOptions, CancellationToken ct)
    {
        var log = Path.Combine(RootDirectory, "postgres.log");
        for (var attempt = 1; ; attempt++)
        {
            Port = configuredPort != 0 ? configuredPort : FreeLoopbackPort();
            // TCP on loopback only; no Unix socket, whose path length and folder rights vary by machine.
            var serverOptions = string.Create(CultureInfo.InvariantCulture,
                $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' {extraServerOptions}");
            var result = await RunAsync("pg_ctl", ["start", "-D", DataDirectory, "-l", log, "-w", "-t", "60", "-o", serverOptions], ct, throwOnError: false);
            if (result.ExitCode == 0)
            {
                StartedHere = true;
                WriteStarter();
                logger.LogInformation("Started a local PostgreSQL server on 127.0.0.1:{Port} ({Root})", Port, RootDirectory);
                return;
            }

            // A free port can be taken between choosing it and binding it: choose again, a few times.
            if (attempt >= 3 || configuredPort != 0)
            {
                throw new EmbeddedPostgresException(
                    $"The local PostgreSQL server in {DataDirectory} did not start: {result.Output.Trim()} (see {log}).");
            }
        }
    }

    // Who started the running server: its process id and start time, so a reused process id is not taken for it.
    internal static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private string Build(string database, string user = SuperUser) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = user,
        Database = database,
    }.ConnectionString;
}
