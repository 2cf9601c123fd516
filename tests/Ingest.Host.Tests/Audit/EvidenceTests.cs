using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Ingest.Data.Facts;
using Ingest.Fixtures.CloudPlatform;
using Ingest.Fixtures.Region;
using Ingest.Host.Audit;
using Ingest.Host.Ingestion;
using Ingest.Host.Operations;
using Ingest.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ingest.Host.Tests.Audit;

/// <summary>From a figure down to the upstream's own answer, after a real run against the Education Cloud fake.</summary>
public class EvidenceTests
{
    private const string School = "2164240001";

    [Fact]
    public async Task A_schools_application_index_leads_to_the_archived_pages_whose_rows_add_up_to_it()
    {
        var cs = await TestPostgres.CreateEmptyDatabaseAsync();
        using var fake = FakeCloudPlatform.Start(DatasetRegion.LoadShipped("cloud-tiny"));
        await using var host = await HostFixture.StartAsync(cs, settings: new Dictionary<string, string?>
        {
            ["Connectors:CloudPlatform:Enabled"] = "true",
            ["Connectors:CloudPlatform:BaseUrl"] = fake.Url,
            ["Connectors:CloudPlatform:ClientId"] = fake.Options.ClientId,
            ["Connectors:CloudPlatform:ClientSecret"] = fake.Options.ClientSecret,
        });
        var run = await host.App.Services.GetRequiredService<RunStarter>().StartAsync(
            new IngestionRequest("test", Core.Periods.EvaluationCycle.Parse("school:2025"), null), Data.Audit.Actor.CommandLine("测试"), CancellationToken.None);
        (await HostFixture.WaitForRunAsync(host, run.RunId)).Status.ShouldBe("succeeded");

        using var auditor = await HostFixture.ClientAsAsync(host, "auditor", "640424", "泾源县审计");
        var fact = (await auditor.GetFromJsonAsync<StoredFact[]>($"/api/facts?org={School}&indicator=cloud.app_index", Json))!.First(f => f.Denominator > 0);
        var trail = (await auditor.GetFromJsonAsync<FactTrail>(
            $"/api/evidence?org={School}&indicator=cloud.app_index&period={fact.Period}&source=cloud", Json))!;

        // One value, read by the run, from the teacher-activity listing of 泾源县 for the period.
        trail.Streams.ShouldBe(["teacher-activity"]);
        var version = trail.Versions.ShouldHaveSingleItem();
        version.Fact.RunId.ShouldBe(run.RunId);
        version.Pages.ShouldNotBeEmpty();
        version.Pages.ShouldAllBe(p => p.Stream == "teacher-activity" && p.CountyCode == "640424" && p.Period == fact.Period && p.RunId == run.RunId);
        version.Pages.ShouldAllBe(p => p.Request.Contains("/api/v1/stats/teacher-activity"));

        // By hand from the raw answers: the school's teachers (each once) and their annual points make the index's ratio.
        var teachers = new Dictionary<string, decimal>();
        foreach (var page in version.Pages.Where(p => p.Mentions))
        {
            using var response = await auditor.GetAsync($"/api/raw/{page.Id}");
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Convert.ToHexStringLower(SHA256.HashData(bytes)).ShouldBe(page.Sha256, "the bytes are the archived answer, unchanged");
            response.Headers.GetValues("X-Content-SHA256").Single().ShouldBe(page.Sha256);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/octet-stream", "an upstream's body is downloaded, never rendered");
            foreach (var row in JsonNode.Parse(bytes)!["data"]!["list"]!.AsArray().Where(r => (string?)r!["orgCode"] == School))
            {
                teachers[(string)row!["userId"]!] = (decimal)row["annualPoints"]!;
            }
        }

        teachers.ShouldNotBeEmpty();
        (fact.Numerator, fact.Denominator).ShouldBe((teachers.Values.Sum(), teachers.Count));
        version.Pages.Where(p => !p.Mentions).ShouldAllBe(p => p.Bytes > 0);

        // The page people read marks the school's rows; outside the county the trail and the bytes are refused.
        var raw = await auditor.GetStringAsync($"/audit/raw/{version.Pages.First(p => p.Mentions).Id}?mark={School}");
        raw.ShouldContain("<mark id=\"mark-0\">");
        raw.ShouldContain(School);
        using var foreign = await HostFixture.ClientAsAsync(host, "auditor", "640422", "西吉县审计");
        (await foreign.GetAsync($"/api/evidence?org={School}&indicator=cloud.app_index&period={fact.Period}&source=cloud")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await foreign.GetAsync($"/api/raw/{version.Pages[0].Id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "泾源县教育局");
        (await bureau.GetAsync($"/api/raw/{version.Pages[0].Id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await auditor.GetAsync("/api/evidence?org=" + School + "&indicator=cloud.app_index&period=1999&source=cloud")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);
}
