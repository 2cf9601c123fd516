using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Ingest.Bench;

/// <summary>The service run as ops run it (<c>Ingest.Host serve</c>, built beside the benchmark), on a free loopback port.</summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> said;

    private ServiceProcess(Process process, Uri address, System.Collections.Concurrent.ConcurrentQueue<string> said)
    {
        this.process = process;
        this.said = said;
        Address = address;
    }

    /// <summary>The first lines the service wrote after each "fail:" or "crit:" log entry (at most 20 entries).</summary>
    public IEnumerable<string> Failures()
    {
        var lines = said.ToArray();
        return lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith("fail:", StringComparison.Ordinal) || x.l.StartsWith("crit:", StringComparison.Ordinal))
            .Take(20).Select(x => string.Join(" | ", lines.Skip(x.i).Take(3).Select(l => l.Trim())));
    }

    public Uri Address { get; }

    /// <summary>Starts it with <paramref name="settings"/> as environment variables and waits until /health/ready answers 200.</summary>
    public static async Task<ServiceProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Ingest.Host.dll"), "serve", "--urls", $"http://127.0.0.1:{port}" },
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (k, v) in settings)
        {
            start.Environment[k.Replace(":", "__", StringComparison.Ordinal)] = v;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("the service did not start");
        var said = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var address = new Uri($"http://127.0.0.1:{port}/");
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                break;
            }

            try
            {
                if ((await http.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode == HttpStatusCode.OK)
                {
                    return new ServiceProcess(process, address, said);
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException("the service did not become ready:\n" + string.Join('\n', said));

        void Keep(string? line)
        {
            if (line is not null && said.Count < 5000)
            {
                said.Enqueue(line);
            }
        }
    }

    /// <summary>CPU seconds the service has used, and its peak working set in MiB (from /proc, while it runs).</summary>
    public (double CpuSeconds, double PeakMiB) Usage()
    {
        process.Refresh();
        return (process.TotalProcessorTime.TotalSeconds, process.PeakWorkingSet64 / 1048576.0);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
