using System.Diagnostics;
using Ingest.Application.Ingestion;
using Ingest.Application.Rating;
using Ingest.Core.Periods;
using Ingest.Scoring.Rubrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ingest.Bench;

internal static partial class Shapes
{
    /// <summary>
    /// A national shape: <paramref name="schools"/> schools in counties of ~74, with the facts the school rubric reads
    /// written straight into the fact table (no upstream), then every school sheet built and re-scored.
    /// </summary>
    public static async Task<ScoringFigures> NationalAsync(string connectionString, int schools)
    {
        await using var host = await HostAsync(connectionString, new Dictionary<string, string?>());
        await using var ds = NpgsqlDataSource.Create(connectionString);
        var clock = Stopwatch.StartNew();
        var (counties, facts, inputs) = await SeedAsync(ds, schools, schoolsPerCounty: 74, regionName: "全国");
        Console.WriteLine(string.Create(Inv,
            $"National shape: {schools:N0} schools in {counties:N0} counties, {facts:N0} facts ({inputs} indicator-periods the school rubric reads) written directly in {clock.Elapsed.TotalSeconds:F0} s"));
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
    }

    /// <summary>
    /// A directory of <paramref name="schools"/> schools in counties of <paramref name="schoolsPerCounty"/> under the
    /// region 640000, with the facts the school rubric reads for school:2025 written straight into the fact table (no
    /// upstream). Returns the counties, the school facts written and the indicator-periods they cover.
    /// </summary>
    internal static async Task<(int Counties, long Facts, int Inputs)> SeedAsync(NpgsqlDataSource ds, int schools, int schoolsPerCounty, string regionName)
    {
        var periods = CyclePeriodsResolver.Resolve(new ConfigurationBuilder().Build(), School);
        var inputs = RubricLibrary.Default(RubricKind.School).Items.SelectMany(i => i.Targets).SelectMany(t => Inputs(t.Rule))
            .Select(i => (i.Indicator, Period: i.Period switch
            {
                PeriodRole.CalendarYear => periods.CalendarYear.Code,
                PeriodRole.SchoolYear => periods.SchoolYear.Code,
                _ => periods.InfrastructureExport.Code,
            })).Distinct().ToArray();
        var counties = (schools + schoolsPerCounty - 1) / schoolsPerCounty;
        long facts;
        await using (var connection = await ds.OpenConnectionAsync())
        {
            await using (var region = new NpgsqlCommand("INSERT INTO ingest.organisation (code, name, level, parent_code) VALUES ('640000', $1, 'region', NULL) ON CONFLICT DO NOTHING", connection))
            {
                region.Parameters.AddWithValue(regionName);
                await region.ExecuteNonQueryAsync();
            }

            await using (var run = new NpgsqlCommand("INSERT INTO ingest.run (trigger, periods, connectors, started_at, host, status) VALUES ('bench', '{}', '{bench}', now(), 'bench', 'succeeded')", connection))
            {
                await run.ExecuteNonQueryAsync();
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

        return (counties, facts, inputs.Length);
    }

    internal static string CountyCode(int c) => (100000 + c).ToString(Inv);

    internal static string SchoolCode(int s) => (1_000_000_000L + s).ToString(Inv);


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
