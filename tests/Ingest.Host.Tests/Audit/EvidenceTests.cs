using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Ingest.Application.Evidence;
using Ingest.Application.Ingestion;
using Ingest.Data.Facts;
using Ingest.Fixtures.CloudPlatform;
using Ingest.Fixtures.Region;
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
        var cs = await HostFixture.DatabaseAsync();
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

        (fact.Numerator, fact.Denominator).ShouldBe((teachers.Values.Sum(), teachers.Count));
        // And by hand from fixtures/data/cloud-tiny.json: T640424000001 523.5, …002 300, …003 0 points: 823.5 ÷ 3 = 274.5.
        (fact.Period, fact.Numerator, fact.Denominator, fact.Value).ShouldBe(("2024", 823.5m, 3m, 274.5m));
        version.Pages.Where(p => !p.Mentions).ShouldAllBe(p => p.Bytes > 0);

        // The page people read marks the school's rows; outside the county the trail and the bytes are refused.
        var raw = await auditor.GetStringAsync($"/audit/raw/{version.Pages.First(p => p.Mentions).Id}?mark={School}");
        raw.ShouldContain("<mark id=\"mark-0\">");
        raw.ShouldContain(School);
        using var foreign = await HostFixture.ClientAsAsync(host, "auditor", "640422", "西吉县审计");
        (await foreign.GetAsync($"/api/evidence?org={School}&indicator=cloud.app_index&period={fact.Period}&source=cloud")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        // Another county's page and a page that does not exist get the same answer, so nobody learns which pages exist.
        var id = version.Pages[0].Id;
        var notYours = await foreign.GetAsync($"/api/raw/{id}");
        var missing = await foreign.GetAsync($"/api/raw/{id + 1_000_000}");
        notYours.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        static async Task<string> Said(HttpResponseMessage r, long id) => ((string)JsonNode.Parse(await r.Content.ReadAsStringAsync())!["detail"]!)
            .Replace(id.ToString(System.Globalization.CultureInfo.InvariantCulture), "N", StringComparison.Ordinal);
        (await Said(notYours, id)).ShouldBe(await Said(missing, id + 1_000_000));
        (await Said(notYours, id)).ShouldBe("原始数据存档中没有编号 N 的页，或该页不在本账号的范围内");
        (await foreign.GetAsync($"/audit/raw/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await foreign.GetAsync($"/audit/raw/{id + 1_000_000}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "泾源县教育局");
        (await bureau.GetAsync($"/api/raw/{version.Pages[0].Id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await auditor.GetAsync("/api/evidence?org=" + School + "&indicator=cloud.app_index&period=1999&source=cloud")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_county_auditor_sees_the_runs_units_and_counts_of_its_own_county_only()
    {
        var cs = await HostFixture.DatabaseAsync();
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
        run.Counties.ShouldBe(["640422", "640424"], ignoreOrder: true);

        using var ops = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");
        using var jingyuan = await HostFixture.ClientAsAsync(host, "auditor", "640424", "泾源县审计");
        using var region = await HostFixture.ClientAsAsync(host, "auditor", "640000", "自治区审计");
        var all = (await ops.GetFromJsonAsync<Data.Runs.RunSummary[]>("/api/runs", Json))!.Single(r => r.Id == run.RunId);
        var own = (await jingyuan.GetFromJsonAsync<Data.Runs.RunSummary[]>("/api/runs", Json))!.Single(r => r.Id == run.RunId);
        (await region.GetFromJsonAsync<Data.Runs.RunSummary[]>("/api/runs", Json))!.Single(r => r.Id == run.RunId).Units.ShouldBe(all.Units);

        // The run read both counties; the county's auditor counts only 泾源县's units and streams, read from the database by hand.
        var jingyuanUnits = await HostFixture.ScalarAsync<long>(cs, $"SELECT count(*) FROM ingest.run_unit WHERE run_id = {run.RunId} AND county_code = '640424'");
        all.Units.ShouldBe(run.Units.Count);
        own.Units.ShouldBe((int)jingyuanUnits);
        own.Units.ShouldBeLessThan(all.Units);
        own.Streams.ShouldAllBe(s => s.Counties == 1);
        own.Streams.Sum(s => s.RowsRead).ShouldBe(await HostFixture.ScalarAsync<long>(cs,
            $"SELECT sum(rows_read)::bigint FROM ingest.run_stream WHERE run_id = {run.RunId} AND county_code = '640424'"));

        // The run's page lists the county's units only; a run that did not read the county is not found.
        await People.People.CreateAccountAsync(host, "jy-audit", "泾源县审计组", "auditor", "640424");
        var (page, _) = await People.People.SignInAsync(host, "jy-audit", People.People.Password);
        var html = await page.GetStringAsync($"/ops/runs/{run.RunId}");
        html.ShouldContain("只显示 640424 的单元");
        html.ShouldContain("640424");
        html.ShouldNotContain("640422");
        var other = await host.App.Services.GetRequiredService<RunStarter>().StartAsync(
            new IngestionRequest("test", Core.Periods.EvaluationCycle.Parse("school:2025"), null, ["640422"]), Data.Audit.Actor.CommandLine("测试"), CancellationToken.None);
        await HostFixture.WaitForRunAsync(host, other.RunId);
        (await page.GetAsync($"/ops/runs/{other.RunId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await jingyuan.GetFromJsonAsync<Data.Runs.RunSummary[]>("/api/runs", Json))!.ShouldNotContain(r => r.Id == other.RunId);
        (await page.GetStringAsync("/ops/runs")).ShouldNotContain($"/ops/runs/{other.RunId}\"");
    }

    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);
}
