using System.Net;
using System.Net.Http.Json;
using Ingest.Host.Operations;
using Ingest.Host.Scheduling;
using Ingest.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ingest.Host.Tests.Ingestion;

public class FanOutTests
{
    [Fact]
    public async Task PostRun_OneCountyRefused_OtherCountiesCommitAndTheRunIsPartialWithTheReason()
    {
        var cs = await HostFixture.DatabaseAsync();
        var connector = new TestConnector { Forbidden = { "640425" } };
        await using var host = await HostFixture.StartAsync(cs, connector);
        using var http = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");

        var response = await http.PostAsJsonAsync("/api/runs", new StartRunBody(null, "2023", ["640424", "640425", "640426"], null));

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var answer = (await response.Content.ReadFromJsonAsync<StartRunAnswer>())!;
        answer.Units.ShouldBe(3);
        var run = await HostFixture.WaitForRunAsync(host, answer.RunId);
        run.Status.ShouldBe("partial");
        run.UnitsSucceeded.ShouldBe(2);
        run.UnitsFailed.ShouldBe(1);
        (await HostFixture.ScalarAsync<string>(cs, "SELECT error FROM ingest.run_unit WHERE county_code = '640425'")).ShouldContain("40301");
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.fact WHERE org_code LIKE '64042_0%'")).ShouldBe(4);
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.fact WHERE org_code LIKE '640425%'")).ShouldBe(0);
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.raw_page")).ShouldBe(2);
        run.Streams.Single().RowsRead.ShouldBe(130);
    }

    [Fact]
    public async Task PostRun_BadPeriod_AnswersAProblemNamingTheField()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs, new TestConnector());
        using var http = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");

        var response = await http.PostAsJsonAsync("/api/runs", new StartRunBody(null, "2023-2025", ["640424"], null));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var body = await response.Content.ReadAsStringAsync();
        body.ShouldContain("period");
        body.ShouldContain("2023-2025");
    }

    [Fact]
    public async Task NightlyJob_ExecutedTwiceInOneNight_FansOutOnceAndWritesEachFactOnce()
    {
        var cs = await HostFixture.DatabaseAsync();
        var connector = new TestConnector();
        await using var host = await HostFixture.StartAsync(cs, connector, new Dictionary<string, string?>
        {
            ["Ingest:Schedule:Cycles:0"] = "county:2024",
            ["Ingest:Schedule:Cycles:1"] = "school:2025",
        });
        await using (var ds = NpgsqlDataSource.Create(cs))
        {
            // The directory as a connector would have loaded it: two counties of 固原市.
            await using var command = ds.CreateCommand("""
                INSERT INTO ingest.organisation (code, name, level, parent_code) VALUES
                  ('640400', '固原市', 'city', '640000'), ('640424', '泾源县', 'county', '640400'), ('640425', '彭阳县', 'county', '640400')
                """);
            await command.ExecuteNonQueryAsync();
        }

        var nightly = host.App.Services.GetRequiredService<NightlyIngestionJob>();
        await nightly.RunAsync(CancellationToken.None);
        await HostFixture.WaitForRunAsync(host, 1);
        await nightly.RunAsync(CancellationToken.None);
        // The repeat's jobs, if it queued any, have all ended: whatever they would read has been read.
        await HostFixture.WaitForJobsAsync(cs);
        var night = await HostFixture.WaitForRunAsync(host, 1);

        // One run for the night, over both cycles.
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.run")).ShouldBe(1);
        // county:2024 reads calendar 2024 and school year 2023-2024; school:2025 reads calendar 2024 and 2024-2025: the
        // calendar year they share is one unit per county. The test connector does not read export nights. 3 periods x 2 counties.
        night.Cycle.ShouldBe("county:2024+school:2025");
        night.Units.ShouldBe(6);
        night.Status.ShouldBe("succeeded");
        connector.Reads.ShouldBe(6, "each period of each county read once, the shared calendar year too");
        // Periods 2024, 2023-2024, 2024-2025 x 4 schools.
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.fact WHERE length(org_code) = 10")).ShouldBe(12);
        // Each county has 40 + 25 teacher accounts; the region, rolled up when each run completed, 130 per period.
        (await HostFixture.ScalarAsync<decimal>(cs, "SELECT value FROM ingest.fact WHERE org_code = '640000' AND period = '2024'")).ShouldBe(130m);
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.fact WHERE org_code = '640000'")).ShouldBe(3);
    }
}
