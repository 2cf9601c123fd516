using System.Diagnostics;
using System.Globalization;
using Ingest.Application.Ingestion;
using Ingest.Application.Rating;
using Ingest.Core.Periods;
using Ingest.Data.Scoresheets;
using Ingest.Fixtures.CloudPlatform;
using Ingest.Fixtures.Progress;
using Ingest.Fixtures.Region;
using Ingest.Host;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ingest.Bench;

internal static partial class Shapes
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly EvaluationCycle School = EvaluationCycle.Parse("school:2025");
    private static readonly EvaluationCycle County = EvaluationCycle.Parse("county:2025");
    private static readonly Ingest.Data.Audit.Actor Bench = Ingest.Data.Audit.Actor.CommandLine("基准测试");

    /// <summary>A host on the database, with no job server: the benchmark drives the services itself.</summary>
    internal static Task<IngestWebHost> HostAsync(string connectionString, IDictionary<string, string?> more)
    {
        var values = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Ingest"] = connectionString,
            ["Ingest:Hangfire:Server"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in more)
        {
            values[k] = v;
        }

        return IngestWebHost.BuildAsync([], c => c.AddInMemoryCollection(values));
    }

    /// <summary>
    /// The fixtures' region (22 counties) ingested through both fakes over HTTP with the production throttles (20 and 5
    /// requests a second), as one night of the default schedule's cycles; then every school and county sheet scored.
    /// </summary>
    public static async Task<ScoringFigures> RegionNightAsync(string connectionString, int parallelism)
    {
        var region = new SyntheticRegion(20240901, RegionSize.Whole);
        using var cloud = FakeCloudPlatform.Start(region);
        using var progress = FakeProgressSystem.Start(region);
        await using var host = await HostAsync(connectionString, new Dictionary<string, string?>
        {
            ["Connectors:CloudPlatform:Enabled"] = "true",
            ["Connectors:CloudPlatform:BaseUrl"] = cloud.Url,
            ["Connectors:CloudPlatform:ClientId"] = cloud.Options.ClientId,
            ["Connectors:CloudPlatform:ClientSecret"] = cloud.Options.ClientSecret,
            ["Connectors:CloudPlatform:RequestsPerSecond"] = "20",
            ["Connectors:Progress:Enabled"] = "true",
            ["Connectors:Progress:BaseUrl"] = progress.Url,
            ["Connectors:Progress:ApiKey"] = progress.Options.ApiKey,
            ["Connectors:Progress:RequestsPerSecond"] = "5",
        });
        var services = host.App.Services;
        var ingestion = services.GetRequiredService<IngestionService>();
        var clock = Stopwatch.StartNew();
        var run = await ingestion.PlanAsync(new IngestionRequest("bench", null, null, Runner: IngestionService.ThisProcessRunner(), Cycles: [School, County]),
            CancellationToken.None);
        var failed = 0;
        double nightHeap;
        await using (var memory = PeakMemory.Start())
        {
            await ingestion.ExecuteAsync(run, parallelism, o => failed += o.Failed ? 1 : 0, _ => null, CancellationToken.None);
            nightHeap = memory.PeakMiB;
        }

        var wall = clock.Elapsed.TotalSeconds;

        await using var ds = NpgsqlDataSource.Create(connectionString);
        var streams = new List<(string Connector, long Made, long Needed)>();
        await using (var command = ds.CreateCommand("SELECT connector, sum(pages), sum(coalesce(pages_needed, pages)) FROM ingest.run_stream WHERE run_id = $1 GROUP BY 1 ORDER BY 1"))
        {
            command.Parameters.AddWithValue(run.RunId);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                streams.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
            }
        }

        var rates = new Dictionary<string, double>(StringComparer.Ordinal) { ["cloud"] = 20, ["progress"] = 5 };
        var served = new Dictionary<string, long>(StringComparer.Ordinal) { ["cloud"] = cloud.Served.Values.Sum(), ["progress"] = progress.Served.Values.Sum() };
        var throttled = new Dictionary<string, int>(StringComparer.Ordinal) { ["cloud"] = cloud.Count("throttled"), ["progress"] = progress.Count("throttled") };
        Console.WriteLine(string.Create(Inv,
            $"Region night (school:2025+county:2025, {run.Counties.Count} counties, {run.Units.Count} units, {failed} failed, {parallelism} counties at a time): wall {wall:F1} s, peak heap {nightHeap:F0} MiB"));
        var floor = 0.0;
        foreach (var (connector, made, needed) in streams)
        {
            var connectorFloor = needed / rates[connector];
            floor = Math.Max(floor, connectorFloor);
            Console.WriteLine(string.Create(Inv,
                $"  {connector,-9} pages made {made,6:N0}, needed {needed,6:N0} (needed ÷ made {(double)needed / made:F3}); requests served by the fake {served[connector],6:N0}, of them throttled {throttled[connector]}; floor at {rates[connector]} req/s {connectorFloor,6:F1} s"));
        }

        Console.WriteLine(string.Create(Inv, $"  request floor {floor:F1} s (the slower connector's pages needed ÷ its rate); wall ÷ floor {wall / floor:F3}; target ≤ 1.10"));
        // The limiter lets N requests into any window of 1 s plus a margin for the network (RequestRateLimiter.Window).
        var window = Ingest.Connectors.Http.RequestRateLimiter.Window.TotalSeconds;
        var effective = streams.Max(s => s.Needed * window / rates[s.Connector]);
        Console.WriteLine(string.Create(Inv, $"  at the limiter's pace (N requests per {window:F2} s) the floor is {effective:F1} s; wall ÷ that floor {wall / effective:F3}"));

        // Every sheet of the region: created, then re-scored with nothing new, then re-scored after a tenth of the facts changed.
        var sheets = services.GetRequiredService<ScoresheetPrefill>();
        var figures = new List<ScoringFigures>
        {
            await ScoreAsync("region, school+county sheets, first build", () => BothAsync(sheets)),
            await ScoreAsync("region, re-score, nothing new", () => BothAsync(sheets)),
        };
        await ChangeTenthAsync(ds);
        figures.Add(await ScoreAsync("region, re-score, 10% of facts changed", () => BothAsync(sheets)));
        figures.ForEach(f => f.Print());
        return figures[1];
    }

    private static async Task<BulkScoreOutcome> BothAsync(ScoresheetPrefill sheets) =>
        (await sheets.BuildRegionAsync(School, Bench, CancellationToken.None)).Add(await sheets.BuildRegionAsync(County, Bench, CancellationToken.None));

    private static async Task<ScoringFigures> ScoreAsync(string label, Func<Task<BulkScoreOutcome>> score)
    {
        await using var memory = PeakMemory.Start();
        var clock = Stopwatch.StartNew();
        var outcome = await score();
        var seconds = clock.Elapsed.TotalSeconds;
        return new ScoringFigures(label, outcome.Sheets, seconds, outcome.LinesWritten, outcome.LinesUnchanged, memory.PeakMiB);
    }

    /// <summary>A later night as the scoring sees it: a tenth of the schools' facts move by one.</summary>
    private static async Task ChangeTenthAsync(NpgsqlDataSource ds)
    {
        await using var command = ds.CreateCommand("""
            UPDATE ingest.fact SET value = value + 1, numerator = numerator + coalesce(denominator, 1)
            WHERE length(org_code) = 10 AND value IS NOT NULL AND abs(hashtext(org_code)) % 10 = 0
            """);
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync();
    }
}
