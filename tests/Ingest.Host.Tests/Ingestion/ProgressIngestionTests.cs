using System.Globalization;
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
[RunsLong]
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
        var cs = await HostFixture.DatabaseAsync();
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
        // The night reads each county's directory and classroom listing once: the progress jobs wait for the Education
        // Cloud to commit the county and take its directory; the listings are archived under no period.
        (await HostFixture.ScalarAsync<long>(cs,
            $"SELECT count(*) FROM ingest.raw_page WHERE run_id = {second.Id} AND connector = 'progress' AND stream = 'orgs'")).ShouldBe(0);
        (await HostFixture.ScalarAsync<string>(cs, $"""
            SELECT string_agg(connector || ' ' || stream || ' ' || county_code || ' ' || coalesce(period, '-'), ', ' ORDER BY connector, county_code)
            FROM ingest.raw_page WHERE run_id = {second.Id} AND stream IN ('orgs', 'classrooms')
            """)).ShouldBe("cloud orgs 640422 -, cloud orgs 640424 -, progress classrooms 640422 -, progress classrooms 640424 -");
    }

    [Fact]
    public async Task ProgressAlone_NoDirectoryKnown_TheUnitFailsSayingSo()
    {
        var cs = await HostFixture.DatabaseAsync();
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

    [Fact]
    public async Task ProgressJobs_StartedBeforeTheCloudCommitsTheirCounty_WaitAndTakeItsDirectory()
    {
        var cs = await HostFixture.DatabaseAsync();
        var region = DatasetRegion.LoadShipped("cloud-tiny");
        using var cloud = FakeCloudPlatform.Start(region);
        using var progress = FakeProgressSystem.Start(region);
        // Enough workers for every county job at once, and an Education Cloud that answers its first requests late.
        cloud.Faults.SlowDelay = TimeSpan.FromSeconds(2);
        cloud.Faults.NextSlowResponses(2);
        var settings = Settings(cloud, progress);
        settings["Ingest:Hangfire:WorkerCount"] = "4";
        await using var host = await HostFixture.StartAsync(cs, settings: settings);
        using var http = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");

        var run = await RunAsync(http, host);

        run.Status.ShouldBe("succeeded");
        (await HostFixture.ScalarAsync<long>(cs,
            $"SELECT count(*) FROM ingest.raw_page WHERE run_id = {run.Id} AND connector = 'progress' AND stream = 'orgs'")).ShouldBe(0, "the directory is read once, by the cloud");
        (await HostFixture.ScalarAsync<long>(cs, $"""
            SELECT count(*) FROM ingest.run_unit p JOIN ingest.run_unit c ON c.run_id = p.run_id AND c.county_code = p.county_code AND c.connector = 'cloud'
            WHERE p.run_id = {run.Id} AND p.connector = 'progress' AND p.started_at < c.finished_at
            """)).ShouldBe(0, "no progress unit of a county started before the cloud's units of it were done");
    }

    [Fact]
    public async Task OneNightOverTwoCycles_ReadsEachSharedPeriodOnce_AndWritesTheFactsOfTwoSeparateRuns()
    {
        const string facts = """
            SELECT string_agg(format('%s %s %s %s %s %s %s %s', source, org_code, indicator_code, period, value, numerator, denominator, detail), E'\n'
                              ORDER BY source, org_code, indicator_code, period)
            FROM ingest.fact
            """;
        const string pages = """
            SELECT coalesce(sum(pages), 0) || ' made, ' || coalesce(sum(pages_needed), 0) || ' needed' FROM ingest.run_stream WHERE run_id = {0}
            """;
        var region = DatasetRegion.LoadShipped("cloud-tiny");
        using var cloud = FakeCloudPlatform.Start(region);
        using var progress = FakeProgressSystem.Start(region);

        // Two runs, one per cycle, as the schedule used to plan them.
        var twoRuns = await HostFixture.DatabaseAsync();
        string separateFacts;
        long separatePages;
        await using (var host = await HostFixture.StartAsync(twoRuns, settings: Settings(cloud, progress)))
        {
            using var http = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");
            (await RunAsync(http, host, "county:2024")).Status.ShouldBe("succeeded");
            (await RunAsync(http, host, "school:2025")).Status.ShouldBe("succeeded");
            separateFacts = await HostFixture.ScalarAsync<string>(twoRuns, facts);
            separatePages = await HostFixture.ScalarAsync<long>(twoRuns, "SELECT sum(pages) FROM ingest.run_stream");
        }

        // One night over both: they share the calendar year 2024.
        var oneNight = await HostFixture.DatabaseAsync();
        await using (var host = await HostFixture.StartAsync(oneNight, settings: Settings(cloud, progress)))
        {
            using var http = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");
            var night = await RunAsync(http, host, "county:2024+school:2025");
            (night.Status, night.Cycle).ShouldBe(("succeeded", "county:2024+school:2025"));
            // Periods 2024, 2023-2024, 2024-2025 for both connectors, the two export nights and the school year's 上半年 (2025H1)
            // for progress; two counties.
            night.Units.ShouldBe((3 * 2 + 2 + 1) * 2);
            (await HostFixture.ScalarAsync<long>(oneNight,
                "SELECT count(*) FROM ingest.run_unit WHERE period = '2024' GROUP BY connector, county_code ORDER BY 1 DESC LIMIT 1")).ShouldBe(1, "the shared period is one unit");
            (await HostFixture.ScalarAsync<string>(oneNight, facts)).ShouldBe(separateFacts);

            // The school-year, calendar and half-year periods make one window of sessions per county, read once: 2023-09-01 to 2025-08-31.
            (await HostFixture.ScalarAsync<string>(oneNight, """
                SELECT string_agg(DISTINCT period, ' ') FROM ingest.raw_page WHERE connector = 'progress' AND stream = 'sessions'
                """)).ShouldBe("2023-2024+2024+2024-2025+2025H1");
            // Each period counts its share of the window's rows: a listing that held still reads each row once.
            (await HostFixture.ScalarAsync<long>(oneNight, "SELECT sum(rows_read - rows_kept)::bigint FROM ingest.run_stream WHERE stream = 'sessions'")).ShouldBe(0);
            // The sessions and teacher listings went through spools in the database, each dropped once its county was added up.
            (await HostFixture.ScalarAsync<long>(oneNight, "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM ingest.row_spool_id")).ShouldBeGreaterThan(0);
            (await HostFixture.ScalarAsync<long>(oneNight, "SELECT count(*) FROM ingest.row_spool_owner")).ShouldBe(0);
            (await HostFixture.ScalarAsync<long>(oneNight, "SELECT count(*) FROM ingest.row_spool")).ShouldBe(0);
            var nightPages = await HostFixture.ScalarAsync<long>(oneNight, "SELECT sum(pages) FROM ingest.run_stream");
            nightPages.ShouldBeLessThan(separatePages);
            var needed = await HostFixture.ScalarAsync<long>(oneNight, "SELECT sum(pages_needed) FROM ingest.run_stream");
            needed.ShouldBeLessThanOrEqualTo(nightPages);
            (await HostFixture.ScalarAsync<string>(oneNight, string.Format(CultureInfo.InvariantCulture, pages, night.Id)))
                .ShouldBe(string.Create(CultureInfo.InvariantCulture, $"{nightPages} made, {needed} needed"));
            (await http.GetStringAsync($"/ops/runs/{night.Id}")).ShouldContain(string.Create(CultureInfo.InvariantCulture, $"上游请求：实际 {nightPages} 页，最少需 {needed} 页"));
        }
    }

    private static async Task<Data.Runs.RunSummary> RunAsync(HttpClient http, IngestWebHost host, string cycle = "county:2024")
    {
        var response = await http.PostAsJsonAsync("/api/runs", new StartRunBody(cycle, null, null, null));
        response.EnsureSuccessStatusCode();
        var answer = (await response.Content.ReadFromJsonAsync<StartRunAnswer>())!;
        return await HostFixture.WaitForRunAsync(host, answer.RunId);
    }
}
