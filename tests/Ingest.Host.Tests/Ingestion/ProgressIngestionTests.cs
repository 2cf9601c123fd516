using System.Net.Http.Json;
using Ingest.Fixtures.CloudPlatform;
using Ingest.Fixtures.Progress;
using Ingest.Fixtures.Region;
using Ingest.Host.Operations;
using Ingest.Testing;

namespace Ingest.Host.Tests.Ingestion;

/// <summary>
/// The service with both connectors enabled by configuration and pointed at the two fakes (the hand-written two-county
/// dataset) over real HTTP: the progress system's schools come from the Education Cloud's directory.
/// </summary>
public sealed class ProgressIngestionTests
{
    private const string FactsSnapshot = """
        SELECT string_agg(format('%s %s %s %s %s %s %s', org_code, indicator_code, period, value, numerator, denominator, detail), E'\n'
                          ORDER BY org_code, indicator_code, period)
        FROM ingest.fact WHERE source = 'progress'
        """;

    [Fact]
    public async Task CountyCycle_BothUpstreams_ProgressFactsForEveryPeriodAndTheRegionAsRatioOfSums()
    {
        var cs = await TestPostgres.CreateEmptyDatabaseAsync();
        var region = DatasetRegion.LoadShipped("cloud-tiny");
        using var cloud = FakeCloudPlatform.Start(region);
        using var progress = FakeProgressSystem.Start(region);
        await using var host = await HostFixture.StartAsync(cs, settings: Settings(cloud, progress));
        using var http = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");

        var first = await RunAsync(http, host);
        var afterFirst = await HostFixture.ScalarAsync<string>(cs, FactsSnapshot);
        var second = await RunAsync(http, host);

        // cloud: 2024 and 2023-2024; progress: those and the export night 2024-12-31; two counties each.
        (first.Status, first.UnitsSucceeded, second.UnitsSucceeded).ShouldBe(("succeeded", 10, 10));
        (await HostFixture.ScalarAsync<string>(cs, FactsSnapshot)).ShouldBe(afterFirst);
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.fact_history")).ShouldBe(0, "a second night with the same data replaces nothing");

        (await Value(cs, "640424", "progress.online_lessons", "2024")).ShouldBe(22m);
        // Region = Σ over the counties: lessons 22 + 2 (西吉县 hosts 1013 and receives 1005); classrooms 3 + 1;
        // application index (9 + 1) ÷ (3 + 1).
        (await Value(cs, "640000", "progress.online_lessons", "2024")).ShouldBe(24m);
        (await Value(cs, "640000", "progress.interactive_classrooms", "2024")).ShouldBe(4m);
        (await Value(cs, "640000", "progress.classroom_app_index", "2024")).ShouldBe(2.5m);
        // The export night 2024-12-31: 泾源县 has none, so 2024-12-30 stands in and every fact says so.
        (await HostFixture.ScalarAsync<long>(cs,
            "SELECT count(*) FROM ingest.fact WHERE period = '2024-12-31' AND org_code LIKE '21642400%' AND indicator_code = 'progress.bandwidth_mbps' AND detail->>'exportNight' = '2024-12-30'"))
            .ShouldBe(4);
        (await Value(cs, "2164240002", "progress.bandwidth_mbps", "2024-12-31")).ShouldBeNull("empty in the export: unknown");
        (await Value(cs, "640000", "progress.security_system", "2024-12-31")).ShouldBe(4m, "3 unit schools of 泾源县 and 1 of 西吉县");
        (await Value(cs, "640000", "progress.multimedia_class_coverage", "2024-12-31")).ShouldBeNull("泾源县's coverage is unknown, so the region's is");
        (await HostFixture.ScalarAsync<string>(cs,
            $"SELECT status || ': ' || note FROM ingest.run_stream WHERE run_id = {second.Id} AND connector = 'progress' AND stream = 'infrastructure-export' AND county_code = '640424'"))
            .ShouldStartWith("flagged: no export for 2024-12-31 (404); the export of 2024-12-30 was used");
        (await HostFixture.ScalarAsync<long>(cs,
            $"SELECT count(*) FROM ingest.raw_page WHERE run_id = {second.Id} AND connector = 'progress' AND stream = 'orgs'"))
            .ShouldBeGreaterThan(0, "the directory read for the progress units is archived with them");
    }

    [Fact]
    public async Task ProgressAlone_NoDirectoryKnown_TheUnitFailsSayingSo()
    {
        var cs = await TestPostgres.CreateEmptyDatabaseAsync();
        using var progress = FakeProgressSystem.Start(DatasetRegion.LoadShipped("cloud-tiny"));
        var settings = Settings(null, progress);
        await using var host = await HostFixture.StartAsync(cs, settings: settings);
        using var http = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");

        var response = await http.PostAsJsonAsync("/api/runs", new StartRunBody(null, "2024", ["640424"], null));
        response.EnsureSuccessStatusCode();
        var run = await HostFixture.WaitForRunAsync(host, (await response.Content.ReadFromJsonAsync<StartRunAnswer>())!.RunId);

        run.Status.ShouldBe("failed");
        (await HostFixture.ScalarAsync<string>(cs, $"SELECT error FROM ingest.run_unit WHERE run_id = {run.Id}"))
            .ShouldBe("county 640424: no school of it is known to the organisation directory (no directory connector is registered and no earlier run stored one).");
    }

    private static Task<decimal?> Value(string cs, string org, string indicator, string period) =>
        HostFixture.ScalarAsync<decimal?>(cs, $"SELECT value FROM ingest.fact WHERE org_code = '{org}' AND indicator_code = '{indicator}' AND period = '{period}'");

    internal static Dictionary<string, string?> Settings(FakeCloudPlatform? cloud, FakeProgressSystem progress)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Connectors:Progress:Enabled"] = "true",
            ["Connectors:Progress:BaseUrl"] = progress.Url,
            ["Connectors:Progress:ApiKey"] = progress.Options.ApiKey,
            ["Connectors:Progress:SessionsPageSize"] = "3",
        };
        if (cloud is not null)
        {
            settings["Connectors:CloudPlatform:Enabled"] = "true";
            settings["Connectors:CloudPlatform:BaseUrl"] = cloud.Url;
            settings["Connectors:CloudPlatform:ClientId"] = cloud.Options.ClientId;
            settings["Connectors:CloudPlatform:ClientSecret"] = cloud.Options.ClientSecret;
        }

        return settings;
    }

    private static async Task<Data.Runs.RunSummary> RunAsync(HttpClient http, IngestWebHost host)
    {
        var response = await http.PostAsJsonAsync("/api/runs", new StartRunBody("county:2024", null, null, null));
        response.EnsureSuccessStatusCode();
        var answer = (await response.Content.ReadFromJsonAsync<StartRunAnswer>())!;
        return await HostFixture.WaitForRunAsync(host, answer.RunId);
    }
}
