using System.Net.Http.Json;
using Ingest.Fixtures.CloudPlatform;
using Ingest.Fixtures.Region;
using Ingest.Host.Operations;
using Ingest.Testing;

namespace Ingest.Host.Tests.Ingestion;

/// <summary>
/// The service as deployed, with the Education Cloud connector enabled by configuration and pointed at the fake
/// (hand-written two-county dataset) over real HTTP, writing to a PostgreSQL database of the test's own.
/// </summary>
public sealed class CloudIngestionTests
{
    private const string FactsSnapshot = """
        SELECT string_agg(format('%s %s %s %s %s %s', org_code, indicator_code, period, value, numerator, denominator), E'\n'
                          ORDER BY org_code, indicator_code, period)
        FROM ingest.fact WHERE source = 'cloud'
        """;

    [Fact]
    public async Task CountyCycle_IngestedTwice_SameFactsNoDuplicatesAndTheRegionRolledUp()
    {
        var cs = await HostFixture.DatabaseAsync();
        using var fake = FakeCloudPlatform.Start(DatasetRegion.LoadShipped("cloud-tiny"));
        await using var host = await HostFixture.StartAsync(cs, settings: new Dictionary<string, string?>
        {
            ["Connectors:CloudPlatform:Enabled"] = "true",
            ["Connectors:CloudPlatform:BaseUrl"] = fake.Url,
            ["Connectors:CloudPlatform:ClientId"] = fake.Options.ClientId,
            ["Connectors:CloudPlatform:ClientSecret"] = fake.Options.ClientSecret,
            ["Connectors:CloudPlatform:PageSize"] = "2",
        });
        using var http = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");

        var first = await RunAsync(http, host);
        var afterFirst = await HostFixture.ScalarAsync<string>(cs, FactsSnapshot);
        var factCount = await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.fact");
        var second = await RunAsync(http, host);

        // The county cycle 2024 reads calendar year 2024 and school year 2023-2024 for both counties of the directory.
        (first.Status, first.UnitsSucceeded, second.Status, second.UnitsSucceeded).ShouldBe(("succeeded", 4, "succeeded", 4));
        (await HostFixture.ScalarAsync<string>(cs, FactsSnapshot)).ShouldBe(afterFirst);
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.fact")).ShouldBe(factCount);
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.fact_history")).ShouldBe(0, "nothing changed, so nothing was replaced");
        (await HostFixture.ScalarAsync<long>(cs, $"SELECT count(DISTINCT org_code) FROM ingest.fact WHERE last_seen_run_id = {second.Id}")).ShouldBe(
            await HostFixture.ScalarAsync<long>(cs, "SELECT count(DISTINCT org_code) FROM ingest.fact"));

        // Region 640000 = ratio of sums over the two counties: teachers 8 + 2; points 2084 + 300.
        (await HostFixture.ScalarAsync<decimal>(cs,
            "SELECT value FROM ingest.fact WHERE org_code = '640000' AND indicator_code = 'cloud.teacher_accounts' AND period = '2024'")).ShouldBe(10m);
        (await HostFixture.ScalarAsync<decimal>(cs,
            "SELECT value FROM ingest.fact WHERE org_code = '640000' AND indicator_code = 'cloud.app_index' AND period = '2024'")).ShouldBe(238.4m);
        // Read back through the API as people see it: the region, then the counties, then the schools.
        var listed = await http.GetFromJsonAsync<Data.Facts.StoredFact[]>("/api/facts?indicator=cloud.app_index&period=2024");
        listed!.Select(f => f.OrgCode).Take(4).ShouldBe(["640000", "640422", "640424", "2164220001"]);
        // The directory came from the orgs endpoint: the teaching point is attached to its centre school.
        (await HostFixture.ScalarAsync<string>(cs, "SELECT parent_school_code FROM ingest.organisation WHERE code = '2164240004'")).ShouldBe("2164240003");
        (await HostFixture.ScalarAsync<string>(cs, "SELECT name FROM ingest.organisation WHERE code = '640400'")).ShouldBe("固原市");
        // Every answer archived, per run; and each stream reported per county and period.
        // One answer per county and period of county:2024 (calendar 2024, school year 2023-2024): cloud-tiny lists 8 teachers in
        // 泾源县 and 2 in 西吉县 for 2024 and none for 2023-2024, each within one cursor page (limit 1000).
        (await HostFixture.ScalarAsync<string>(cs, $"""
            SELECT string_agg(county_code || ' ' || period, ', ' ORDER BY county_code, period)
            FROM ingest.raw_page WHERE run_id = {second.Id} AND stream = 'teacher-activity'
            """)).ShouldBe("640422 2023-2024, 640422 2024, 640424 2023-2024, 640424 2024");
        (await HostFixture.ScalarAsync<long>(cs,
            $"SELECT rows_kept FROM ingest.run_stream WHERE run_id = {second.Id} AND stream = 'teacher-activity' AND county_code = '640424' AND period = '2024'")).ShouldBe(8);
    }

    [Fact]
    public async Task CountyCycle_OneCountyForbidden_ThatCountyFailsWithTheReasonAndTheOtherCommits()
    {
        var cs = await HostFixture.DatabaseAsync();
        using var fake = FakeCloudPlatform.Start(DatasetRegion.LoadShipped("cloud-tiny"));
        fake.Faults.ForbiddenCounties["640422"] = true;
        await using var host = await HostFixture.StartAsync(cs, settings: Settings(fake));
        using var http = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");

        var run = await RunAsync(http, host);

        (run.Status, run.UnitsSucceeded, run.UnitsFailed).ShouldBe(("partial", 2, 2));
        (await HostFixture.ScalarAsync<string>(cs, "SELECT min(error) FROM ingest.run_unit WHERE county_code = '640422'"))
            .ShouldBe("county 640422: this client may not read it (40301: client ingest-demo may not read county 640422).");
        (await HostFixture.ScalarAsync<decimal>(cs,
            "SELECT value FROM ingest.fact WHERE org_code = '640424' AND indicator_code = 'cloud.teacher_accounts' AND period = '2024'")).ShouldBe(8m);
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.fact WHERE org_code LIKE '216422%' OR org_code = '640422'")).ShouldBe(0);
        // The region is not complete without 640422, and its facts say so.
        (await HostFixture.ScalarAsync<string>(cs,
            "SELECT detail::text FROM ingest.fact WHERE org_code = '640000' AND indicator_code = 'cloud.teacher_accounts' AND period = '2024'"))
            .ShouldBe("""{"counties": 1, "countiesUnknown": 0, "countiesInDirectory": 2}""");
    }

    [Fact]
    public async Task SilentUpstream_TwoNightsRunning_BothFlaggedAndTheLastGoodFactsKept()
    {
        var cs = await HostFixture.DatabaseAsync();
        using var fake = FakeCloudPlatform.Start(DatasetRegion.LoadShipped("cloud-tiny"));
        var settings = Settings(fake);
        settings["Connectors:CloudPlatform:ZeroRowsFlagThreshold"] = "5";
        await using var host = await HostFixture.StartAsync(cs, settings: settings);
        using var http = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");

        await RunAsync(http, host);
        fake.Faults.EmptyListings["teacher-activity"] = true;
        var second = await RunAsync(http, host);
        var third = await RunAsync(http, host);

        foreach (var run in new[] { second, third })
        {
            (await HostFixture.ScalarAsync<string>(cs, $"""
                SELECT status || ': ' || note FROM ingest.run_stream
                WHERE run_id = {run.Id} AND stream = 'teacher-activity' AND county_code = '640424' AND period = '2024'
                """)).ShouldBe("flagged: no rows, where the previous run kept 8; the facts of the previous run are left in place");
        }

        (await HostFixture.ScalarAsync<decimal>(cs,
            "SELECT value FROM ingest.fact WHERE org_code = '640424' AND indicator_code = 'cloud.teacher_accounts' AND period = '2024'")).ShouldBe(8m);
    }

    private static Dictionary<string, string?> Settings(FakeCloudPlatform fake) => new()
    {
        ["Connectors:CloudPlatform:Enabled"] = "true",
        ["Connectors:CloudPlatform:BaseUrl"] = fake.Url,
        ["Connectors:CloudPlatform:ClientId"] = fake.Options.ClientId,
        ["Connectors:CloudPlatform:ClientSecret"] = fake.Options.ClientSecret,
    };

    private static async Task<Data.Runs.RunSummary> RunAsync(HttpClient http, IngestWebHost host)
    {
        var response = await http.PostAsJsonAsync("/api/runs", new StartRunBody("county:2024", null, null, null));
        response.EnsureSuccessStatusCode();
        var answer = (await response.Content.ReadFromJsonAsync<StartRunAnswer>())!;
        return await HostFixture.WaitForRunAsync(host, answer.RunId);
    }
}
