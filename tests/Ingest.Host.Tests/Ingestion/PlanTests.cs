using System.Net;
using System.Net.Http.Json;
using Ingest.Core.Organisations;
using Ingest.Host.Operations;
using Ingest.Host.Operations.Cli;
using Ingest.Testing;

namespace Ingest.Host.Tests.Ingestion;

public class PlanTests
{
    [Fact]
    public async Task PostRun_CycleWithConfiguredExportNight_ReadsThatNightInsteadOfTheDefault()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs, new TestConnector(), new Dictionary<string, string?>
        {
            ["Ingest:CyclePeriods:county:2024:InfrastructureExport"] = "2024-12-30",
        });
        using var http = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");

        var response = await http.PostAsJsonAsync("/api/runs", new StartRunBody("county:2024", null, ["640424"], null));

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var answer = (await response.Content.ReadFromJsonAsync<StartRunAnswer>())!;
        answer.Periods.ShouldBe(["2024", "2023-2024", "2024-12-30"]);
        // The test connector reads calendar and school years only: 2 units for the one county.
        answer.Units.ShouldBe(2);
    }

    [Fact]
    public async Task PostRun_UnknownConnector_AnswersAProblemListingTheRegisteredOnes()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs, new TestConnector());
        using var http = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");

        var response = await http.PostAsJsonAsync("/api/runs", new StartRunBody(null, "2023", ["640424"], ["cloud"]));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("没有名为“cloud”的数据源；已配置的数据源：test");
    }

    [Fact]
    public async Task PostRun_NoCountiesNamed_ReadsEveryCountyOfTheDirectoryAndArchivesItsAnswer()
    {
        var cs = await HostFixture.DatabaseAsync();
        var connector = new TestConnector
        {
            DirectoryCounties =
            {
                new Organisation("640400", "固原市", OrgLevel.City, Organisation.RegionCode),
                new Organisation("640424", "泾源县", OrgLevel.County, "640400"),
                new Organisation("640425", "彭阳县", OrgLevel.County, "640400"),
            },
        };
        await using var host = await HostFixture.StartAsync(cs, connector);
        using var http = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");

        var response = await http.PostAsJsonAsync("/api/runs", new StartRunBody(null, "2023", null, null));

        var answer = (await response.Content.ReadFromJsonAsync<StartRunAnswer>())!;
        answer.Counties.ShouldBe(["640424", "640425"]);
        answer.Units.ShouldBe(2);
        (await HostFixture.ScalarAsync<string>(cs, "SELECT name FROM ingest.organisation WHERE code = '640425'")).ShouldBe("彭阳县");
        (await HostFixture.ScalarAsync<long>(cs, $"SELECT count(*) FROM ingest.raw_page WHERE stream = 'orgs' AND run_id = {answer.RunId}")).ShouldBe(1);
    }

    [Fact]
    public async Task PostRun_NoCountiesKnown_FailsTheRunWithTheReason()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs, new TestConnector());
        using var http = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");

        var response = await http.PostAsJsonAsync("/api/runs", new StartRunBody(null, "2023", null, null));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("机构目录中还没有县（区）");
        (await HostFixture.ScalarAsync<string>(cs, "SELECT status FROM ingest.run")).ShouldBe("failed");
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("county:2024", "2023")]
    public void IngestVerbParse_NeitherOrBothOfCycleAndPeriod_AsksForExactlyOne(string? cycle, string? period)
    {
        Should.Throw<FormatException>(() => IngestVerb.Parse(cycle, period, null, null)).Message.ShouldContain("请给出 --cycle（如 county:2024）或 --period（如 2023-2024），二者选一");
    }
}
