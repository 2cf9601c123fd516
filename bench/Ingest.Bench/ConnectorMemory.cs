using System.Diagnostics;
using System.Globalization;
using Ingest.Application.Ingestion;
using Ingest.Core.Periods;
using Ingest.Fixtures.CloudPlatform;
using Ingest.Fixtures.Progress;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ingest.Bench;

/// <summary>
/// The service's memory for one county's night as the county's teachers grow: the fakes run in processes of their own,
/// so the heap measured is the service's alone, sampled live (a full collection before each sample).
/// </summary>
internal static class ConnectorMemory
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <param name="database">Creates an empty database and answers its connection string.</param>
    /// <param name="teachersPerSchool">Sizes to measure, a county of 91 schools each; the first is also run once before, unprinted, to warm up.</param>
    public static async Task RunAsync(Func<string, Task<string>> database, IReadOnlyList<int> teachersPerSchool)
    {
        Console.WriteLine("Connector memory: one county (91 schools) through both fakes, one night of school:2025+county:2025 at the production rates (20 and 5 requests a second); the fakes in processes of their own, the service's live heap sampled every 50 ms");
        await MeasureAsync(await database("bench_memory_warm"), 12, print: false);
        var first = 0.0;
        foreach (var teachers in teachersPerSchool)
        {
            var peak = await MeasureAsync(await database($"bench_memory_{teachers}"), teachers, print: true);
            first = first == 0 ? peak : first;
            Console.WriteLine(string.Create(Inv, $"    peak ÷ the first size's {peak / first:F2}"));
        }
    }

    private static async Task<double> MeasureAsync(string connectionString, int teachers, bool print)
    {
        var size = string.Create(Inv, $"1x91x{teachers}");
        await using var cloud = await FakeProcess.StartAsync("cloud", size);
        await using var progress = await FakeProcess.StartAsync("progress", size);
        await using var host = await Shapes.HostAsync(connectionString, new Dictionary<string, string?>
        {
            ["Connectors:CloudPlatform:Enabled"] = "true",
            ["Connectors:CloudPlatform:BaseUrl"] = cloud.Url,
            ["Connectors:CloudPlatform:ClientId"] = new FakeCloudOptions().ClientId,
            ["Connectors:CloudPlatform:ClientSecret"] = new FakeCloudOptions().ClientSecret,
            ["Connectors:CloudPlatform:RequestsPerSecond"] = "20",
            ["Connectors:Progress:Enabled"] = "true",
            ["Connectors:Progress:BaseUrl"] = progress.Url,
            ["Connectors:Progress:ApiKey"] = new FakeProgressOptions().ApiKey,
            ["Connectors:Progress:RequestsPerSecond"] = "5",
        });
        var ingestion = host.App.Services.GetRequiredService<IngestionService>();
        var run = await ingestion.PlanAsync(new IngestionRequest("bench", null, null, Runner: IngestionService.ThisProcessRunner(),
            Cycles: [EvaluationCycle.Parse("school:2025"), EvaluationCycle.Parse("county:2025")]), CancellationToken.None);
        var failed = 0;
        var clock = Stopwatch.StartNew();
        double peak;
        await using (var memory = PeakMemory.StartLive(TimeSpan.FromMilliseconds(50)))
        {
            await ingestion.ExecuteAsync(run, 2, o => failed += o.Failed ? 1 : 0, _ => null, CancellationToken.None);
            peak = memory.PeakMiB;
        }

        var wall = clock.Elapsed.TotalSeconds;
        if (print)
        {
            await using var ds = NpgsqlDataSource.Create(connectionString);
            await using var command = ds.CreateCommand("""
                SELECT coalesce(sum(rows_kept) FILTER (WHERE stream IN ('teacher-activity', 'literacy-assessment')), 0)::bigint,
                       coalesce(sum(rows_kept) FILTER (WHERE stream = 'sessions'), 0)::bigint, sum(pages)::bigint
                FROM ingest.run_stream WHERE run_id = $1
                """);
            command.Parameters.AddWithValue(run.RunId);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            Console.WriteLine(string.Create(Inv,
                $"  {size,-9} teacher rows kept {reader.GetInt64(0),8:N0}, sessions kept {reader.GetInt64(1),7:N0}, pages {reader.GetInt64(2),5:N0}, {failed} units failed, wall {wall,5:F1} s: peak live heap {peak,6:F1} MiB"));
        }

        return peak;
    }

    /// <summary>A fake upstream run as its own process (Ingest.Fixtures, built beside the benchmark), stopped when disposed.</summary>
    private sealed class FakeProcess : IAsyncDisposable
    {
        private readonly Process process;

        private FakeProcess(Process process, string url)
        {
            this.process = process;
            Url = url;
        }

        public string Url { get; }

        public static async Task<FakeProcess> StartAsync(string verb, string size)
        {
            var urlFile = Path.Combine(Path.GetTempPath(), $"ingest-bench-{verb}-{Environment.ProcessId}-{Guid.NewGuid():N}.url");
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Ingest.Fixtures.dll"), verb, "--size", size, "--url-file", urlFile, "--no-rate-limit" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            var process = Process.Start(start) ?? throw new InvalidOperationException($"the {verb} fake did not start");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { Console.Error.WriteLine($"[{verb} fake] {line}"); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            for (var i = 0; i < 300; i++)
            {
                if (File.Exists(urlFile) && new FileInfo(urlFile).Length > 0)
                {
                    var url = (await File.ReadAllTextAsync(urlFile)).Trim();
                    File.Delete(urlFile);
                    return new FakeProcess(process, url);
                }

                if (process.HasExited)
                {
                    break;
                }

                await Task.Delay(100);
            }

            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"the {verb} fake did not give its address within 30 s");
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
}
