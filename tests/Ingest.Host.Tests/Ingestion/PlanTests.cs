using System.Net;
using System.Net.Http.Json;
using Ingest.Host.Api;
using Ingest.Host.Cli;
using Ingest.Testing;

namespace Ingest.Host.Tests.Ingestion;

public class PlanTests
{
    [Fact]
    public async Task PostRun_CycleWithConfiguredExportNight_ReadsThatNightInsteadOfTheDefault()
    {
        var cs = await TestPostgres.CreateEmptyDatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs, new TestConnector(), new Dictionary<string, string?>
        {
            ["Ingest:CyclePeriods:county:2024:InfrastructureExport"] = "2024-12-30",
        });
        using var http = HostFixture.Client(host);

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
        var cs = await TestPostgres.CreateEmptyDatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs, new TestConnector());
        using var http = HostFixture.Client(host);

        var response = await http.PostAsJsonAsync("/api/runs", new StartRunBody(null, "2023", ["640424"], ["cloud"]));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("No connector named 'cloud'. Registered: test.");
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("county:2024", "2023")]
    public void IngestVerbParse_NeitherOrBothOfCycleAndPeriod_AsksForExactlyOne(string? cycle, string? period)
    {
        Should.Throw<FormatException>(() => IngestVerb.Parse(cycle, period, null, null)).Message.ShouldContain("either --cycle");
    }
}
