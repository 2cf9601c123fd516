using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Ingest.Data.Embedded;

public sealed partial class EmbeddedPostgresCluster
{
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
