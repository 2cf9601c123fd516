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
using Ingest.Scoring.Rubrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ingest.Bench;

/// <summary>What scoring every sheet of a shape took: sheets, seconds, lines written, and the most heap held at once.</summary>
internal sealed record ScoringFigures(string Label, int Sheets, double Seconds, int LinesWritten, int LinesUnchanged, double PeakMiB)
{
    public double SheetsPerSecond => Sheets / Seconds;

    public void Print() => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {Label,-44} {Sheets,8:N0} sheets in {Seconds,7:F2} s = {SheetsPerSecond,8:N0} sheets/s; lines written {LinesWritten:N0}, unchanged {LinesUnchanged:N0}; peak heap {PeakMiB,6:F0} MiB"));
}

internal static class Shapes
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

    /// <summary>
    /// A national shape: <paramref name="schools"/> schools in counties of ~74, with the facts the school rubric reads
    /// written straight into the fact table (no upstream), then every school sheet built and re-scored.
    /// </summary>
    public static async Task<ScoringFigures> NationalAsync(string connectionString, int schools)
    {
        await using var host = await HostAsync(connectionString, new Dictionary<string, string?>());
        await using var ds = NpgsqlDataSource.Create(connectionString);
        var periods = CyclePeriodsResolver.Resolve(new ConfigurationBuilder().Build(), School);
        var inputs = RubricLibrary.Default(RubricKind.School).Items.SelectMany(i => i.Targets).SelectMany(t => Inputs(t.Rule))
            .Select(i => (i.Indicator, Period: i.Period switch
            {
                PeriodRole.CalendarYear => periods.CalendarYear.Code,
                PeriodRole.SchoolYear => periods.SchoolYear.Code,
                _ => periods.InfrastructureExport.Code,
            })).Distinct().ToArray();
        var clock = Stopwatch.StartNew();
        var counties = (schools + 73) / 74;
        long facts;
        await using (var connection = await ds.OpenConnectionAsync())
        {
            await using (var setup = new NpgsqlCommand("""
                INSERT INTO ingest.organisation (code, name, level, parent_code) VALUES ('640000', '全国', 'region', NULL) ON CONFLICT DO NOTHING;
                INSERT INTO ingest.run (trigger, periods, connectors, started_at, host, status) VALUES ('bench', '{}', '{bench}', now(), 'bench', 'succeeded');
                """, connection))
            {
                await setup.ExecuteNonQueryAsync();
            }

            await using (var orgs = await connection.BeginBinaryImportAsync("COPY ingest.organisation (code, name, level, parent_code, active) FROM STDIN (FORMAT BINARY)"))
            {
                for (var c = 0; c < counties; c++)
                {
                    await Row(orgs, CountyCode(c), $"县{c}", "county", "640000");
                }

                for (var s = 0; s < schools; s++)
                {
                    await Row(orgs, SchoolCode(s), $"学校{s}", "school", CountyCode(s % counties));
                }

                await orgs.CompleteAsync();
            }

            var now = TimeProvider.System.GetUtcNow();
            await using (var copy = await connection.BeginBinaryImportAsync(
                "COPY ingest.fact (org_code, indicator_code, period, source, value, numerator, denominator, detail, run_id, fetched_at, last_seen_run_id, last_seen_at) FROM STDIN (FORMAT BINARY)"))
            {
                facts = 0;
                foreach (var (indicator, period) in inputs)
                {
                    await Fact(copy, "640000", indicator, period, 60, 100, """{"counties": 1, "countiesInDirectory": 1, "countiesUnknown": 0}""", now);
                    for (var s = 0; s < schools; s++)
                    {
                        var n = (s * 7 + indicator.Length * 13) % 120;
                        await Fact(copy, SchoolCode(s), indicator, period, n, 100, null, now);
                        facts++;
                    }
                }

                await copy.CompleteAsync();
            }

            await using var analyze = new NpgsqlCommand("ANALYZE ingest.fact; ANALYZE ingest.organisation", connection);
            await analyze.ExecuteNonQueryAsync();
        }

        Console.WriteLine(string.Create(Inv,
            $"National shape: {schools:N0} schools in {counties:N0} counties, {facts:N0} facts ({inputs.Length} indicator-periods the school rubric reads) written directly in {clock.Elapsed.TotalSeconds:F0} s"));
        var sheets = host.App.Services.GetRequiredService<ScoresheetPrefill>();
        var figures = new List<ScoringFigures>
        {
            await ScoreAsync("national, school sheets, first build", () => sheets.BuildRegionAsync(School, Bench, CancellationToken.None)),
            await ScoreAsync("national, re-score, nothing new", () => sheets.BuildRegionAsync(School, Bench, CancellationToken.None)),
        };
        await ChangeTenthAsync(ds);
        figures.Add(await ScoreAsync("national, re-score, 10% of facts changed", () => sheets.BuildRegionAsync(School, Bench, CancellationToken.None)));
        figures.ForEach(f => f.Print());
        return figures[1];

        static string CountyCode(int c) => (100000 + c).ToString(Inv);
        static string SchoolCode(int s) => (1_000_000_000L + s).ToString(Inv);
    }

    private static async Task Row(NpgsqlBinaryImporter copy, string code, string name, string level, string parent)
    {
        await copy.StartRowAsync();
        await copy.WriteAsync(code);
        await copy.WriteAsync(name);
        await copy.WriteAsync(level);
        await copy.WriteAsync(parent);
        await copy.WriteAsync(true);
    }

    private static async Task Fact(NpgsqlBinaryImporter copy, string org, string indicator, string period, decimal numerator, decimal denominator, string? detail,
        DateTimeOffset now)
    {
        await copy.StartRowAsync();
        await copy.WriteAsync(org);
        await copy.WriteAsync(indicator);
        await copy.WriteAsync(period);
        await copy.WriteAsync("bench");
        await copy.WriteAsync(numerator / denominator, NpgsqlTypes.NpgsqlDbType.Numeric);
        await copy.WriteAsync(numerator, NpgsqlTypes.NpgsqlDbType.Numeric);
        await copy.WriteAsync(denominator, NpgsqlTypes.NpgsqlDbType.Numeric);
        if (detail is null)
        {
            await copy.WriteNullAsync();
        }
        else
        {
            await copy.WriteAsync(detail, NpgsqlTypes.NpgsqlDbType.Jsonb);
        }

        await copy.WriteAsync(1L);
        await copy.WriteAsync(now, NpgsqlTypes.NpgsqlDbType.TimestampTz);
        await copy.WriteAsync(1L);
        await copy.WriteAsync(now, NpgsqlTypes.NpgsqlDbType.TimestampTz);
    }

    private static IEnumerable<FactInput> Inputs(Rule rule) => rule switch
    {
        ThresholdRule r => [r.Input],
        BandsRule { Input: FactInput f } => [f],
        VsRegionRule r => [r.Input],
        EveryUnitSchoolRule r => [r.Input],
        CoversSubjectsRule r => [r.Input],
        PartsRule p => p.Parts.SelectMany(x => Inputs(x.Rule)),
        _ => [],
    };
}
