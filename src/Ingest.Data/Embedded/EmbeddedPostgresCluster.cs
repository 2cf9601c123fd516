using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ingest.Data.Embedded;

/// <summary>
/// A local PostgreSQL cluster run from the machine's server programs, for development, the demo and tests.
/// Starting it when another process already runs the same cluster attaches to that server instead; only
/// the process that started the server stops it. A server whose starter is gone (killed) is adopted: the process
/// that finds it stops it when it ends.
/// </summary>
public sealed class EmbeddedPostgresCluster : IAsyncDisposable
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
    private string StarterFile => Path.Combine(RootDirectory, "starter");

    private void WriteStarter()
    {
        using var self = Process.GetCurrentProcess();
        File.WriteAllText(StarterFile, string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessId} {self.StartTime.ToUniversalTime().Ticks}"));
    }

    private string? ReadStarterText()
    {
        try
        {
            return File.Exists(StarterFile) ? File.ReadAllText(StarterFile).Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private (int Pid, long StartTicks)? ReadStarter() =>
        ReadStarterText()?.Split(' ') is [var pid, var ticks]
        && int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var p)
        && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var t)
            ? (p, t)
            : null;

    private static bool IsAlive((int Pid, long StartTicks) starter)
    {
        try
        {
            using var process = Process.GetProcessById(starter.Pid);
            // The start time is worked out from the boot time on every read, so two reads differ by a little.
            return !process.HasExited && Math.Abs(process.StartTime.ToUniversalTime().Ticks - starter.StartTicks) < TimeSpan.TicksPerSecond;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private int? ReadRunningPort()
    {
        // postmaster.pid: line 4 is the port.
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        try
        {
            var lines = File.ReadAllLines(pidFile);
            return lines.Length > 3 && int.TryParse(lines[3], NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
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

    internal static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private string Build(string database, string user = SuperUser) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = user,
        Database = database,
    }.ConnectionString;

    private static async Task<string> ChooseRootAsync(string root, string? runAs, ILogger logger, CancellationToken ct)
    {
        if (runAs is null)
        {
            Directory.CreateDirectory(root);
            return root;
        }

        // The server's user must be able to reach the folder: every parent must let it through.
        var parent = Path.GetDirectoryName(root)!;
        Directory.CreateDirectory(parent);
        if ((await Exec("runuser", ["-u", runAs, "--", "test", "-x", parent, "-a", "-r", parent], "/", ct)).ExitCode != 0)
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(root)))[..12];
            var fallback = Path.Combine(Path.GetTempPath(), "ingest-pg-" + hash);
            logger.LogWarning("User {User} cannot reach {Root}; the local cluster lives in {Fallback} instead", runAs, root, fallback);
            root = fallback;
        }

        Directory.CreateDirectory(root);
        await Exec("chown", [runAs + ":", root], "/", ct);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return root;
    }

    private async Task<ProcessResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken ct, bool throwOnError = true)
    {
        var path = Path.Combine(binDirectory, program);
        var (file, args) = runAs is null ? (path, arguments) : ("runuser", ["-u", runAs, "--", path, .. arguments]);
        var result = await Exec(file, args, RootDirectory, ct);
        if (throwOnError && result.ExitCode != 0)
        {
            throw new EmbeddedPostgresException($"{program} failed (exit {result.ExitCode}): {result.Output.Trim()}");
        }

        return result;
    }

    private static async Task<ProcessResult> Exec(string file, IReadOnlyList<string> arguments, string workingDirectory, CancellationToken ct)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["LC_ALL"] = "C";
        using var process = Process.Start(info) ?? throw new EmbeddedPostgresException($"Could not run {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return new ProcessResult(process.ExitCode, await stdout + await stderr);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record ProcessResult(int ExitCode, string Output);
}

/// <summary>The local cluster could not be used; the message is the one line a user needs.</summary>
public sealed class EmbeddedPostgresException : Exception
{
    public EmbeddedPostgresException()
    {
    }

    public EmbeddedPostgresException(string message)
        : base(message)
    {
    }

    public EmbeddedPostgresException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
