using System.Diagnostics;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Ingest.Application.Claims;
using Ingest.Application.Ingestion;
using Ingest.Application.Operations;
using Ingest.Host.Operations;
using Ingest.Scoring.Claims;
using Ingest.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static Ingest.Host.Tests.Scoring.ScoresheetApiTests;

namespace Ingest.Host.Tests.Operations;

/// <summary>Settings the README's configuration table promises, each held to what it says.</summary>
public class ReadmePromisesTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task A_county_is_stale_once_StaleAfter_has_passed_since_its_last_success_and_not_a_minute_before()
    {
        var cs = await HostFixture.DatabaseAsync();
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var host = await HostFixture.StartAsync(cs, new TestConnector(), new Dictionary<string, string?> { ["Ingest:Operations:StaleAfter"] = "02:00:00" },
            services: s => s.AddSingleton<TimeProvider>(clock));
        var run = await host.App.Services.GetRequiredService<RunStarter>().StartAsync(
            new IngestionRequest("test", Core.Periods.EvaluationCycle.Parse("county:2024"), null, ["640424"]), Data.Audit.Actor.CommandLine("测试"), CancellationToken.None);
        (await HostFixture.WaitForRunAsync(host, run.RunId)).Status.ShouldBe("succeeded");
        using var ops = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");

        clock.Advance(TimeSpan.FromMinutes(119));
        var before = (await ops.GetFromJsonAsync<OperationsStatus>("/api/status", Json))!;
        before.Stale.ShouldBeEmpty("an hour and 59 minutes after its success 640424 is fresh");
        clock.Advance(TimeSpan.FromMinutes(2));
        var after = (await ops.GetFromJsonAsync<OperationsStatus>("/api/status", Json))!;
        after.Stale.ShouldHaveSingleItem().CountyCode.ShouldBe("640424");
        after.StaleAfter.ShouldBe(TimeSpan.FromHours(2));
    }

    [Fact]
    public async Task A_webhook_that_does_not_answer_holds_the_night_no_longer_than_WebhookTimeout()
    {
        var cs = await HostFixture.DatabaseAsync();
        using var receiver = WireMockServer.Start();
        // The alerting system takes five minutes to answer; the service waits one second for it.
        receiver.Given(Request.Create().WithPath("/hooks/ingest").UsingPost()).RespondWith(Response.Create().WithStatusCode(204).WithDelay(TimeSpan.FromMinutes(5)));
        await using var host = await HostFixture.StartAsync(cs, new TestConnector { Forbidden = { "640425" } }, new Dictionary<string, string?>
        {
            ["Ingest:Operations:WebhookUrl"] = receiver.Url + "/hooks/ingest",
            ["Ingest:Operations:WebhookTimeout"] = "00:00:01",
        });
        var run = await host.App.Services.GetRequiredService<RunStarter>().StartAsync(
            new IngestionRequest("test", Core.Periods.EvaluationCycle.Parse("county:2024"), null, ["640424", "640425"]), Data.Audit.Actor.CommandLine("测试"), CancellationToken.None);
        (await HostFixture.WaitForRunAsync(host, run.RunId)).Status.ShouldBe("partial");

        // Every job of the night ends within a minute: the call was given up after its second, not after the receiver's five minutes.
        await HostFixture.WaitForJobsAsync(cs);
        (await HostFixture.ScalarAsync<bool>(cs, $"SELECT alerted_at IS NOT NULL FROM ingest.run WHERE id = {run.RunId}")).ShouldBeTrue("the alert was sent");
    }

    [Fact]
    public async Task Claim_tolerances_let_a_claim_that_far_beyond_the_data_stand_and_flag_one_beyond_them()
    {
        // 23★ on the data: 200 points a teacher, as the region (8000 points, 40 teachers), scores 0.
        async Task<string> VerdictAsync(IngestWebHost host, string claim)
        {
            using var school = await HostFixture.ClientAsAsync(host, "school", "2164240001", "城关一小");
            var file = $"学校标识码,序号,自评得分,自评数据\r\n2164240001,23,{claim}\r\n";
            (await school.PostAsync("/api/claims/school:2024/import?fileName=self.csv", new ByteArrayContent(Encoding.UTF8.GetBytes(file)))).EnsureSuccessStatusCode();
            var audit = (await school.GetFromJsonAsync<SchoolClaimsAudit>("/api/claims/school:2024/2164240001/report", Json))!;
            return audit.Report.Lines.Single(l => l.Claim.Target == "23").Verdict;
        }

        var strict = await HostFixture.StartAsync(await HostFixture.DatabaseAsync());
        await using (strict)
        {
            await People.People.SeedAsync(strict, FullFacts(appIndexPoints: 8000));
            (await VerdictAsync(strict, "0.5,219")).ShouldBe(ClaimVerdict.Above, "with no tolerance half a point above the data is above it");
        }

        await using var lenient = await HostFixture.StartAsync(await HostFixture.DatabaseAsync(), settings: new Dictionary<string, string?>
        {
            ["Claims:ScoreTolerance"] = "0.5",
            ["Claims:FigureTolerance"] = "0.1",
        });
        await People.People.SeedAsync(lenient, FullFacts(appIndexPoints: 8000));
        (await VerdictAsync(lenient, "0.5,219")).ShouldBe(ClaimVerdict.Consistent, "0.5 points and 219 (9.5% above 200) are within 0.5 and 10%");
        (await VerdictAsync(lenient, "1,219")).ShouldBe(ClaimVerdict.Above, "1 point is beyond 0.5");
        (await VerdictAsync(lenient, "0.5,221")).ShouldBe(ClaimVerdict.Above, "221 is beyond 10% above 200");
    }

    [Fact]
    public async Task With_Ingest_Logging_Json_the_service_logs_one_JSON_object_a_line()
    {
        var cs = await HostFixture.DatabaseAsync();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Ingest.Host.dll"), "serve", "--urls", "http://127.0.0.1:0" })
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["ConnectionStrings__Ingest"] = cs;
        info.Environment["Ingest__Logging__Json"] = "true";
        info.Environment["Ingest__Hangfire__WorkerCount"] = "1";
        using var process = Process.Start(info)!;
        try
        {
            var lines = new List<string>();
            using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            while (await process.StandardOutput.ReadLineAsync(stop.Token) is { } line)
            {
                lines.Add(line);
                if (line.Contains("Now listening on", StringComparison.Ordinal))
                {
                    break;
                }
            }

            var listening = lines.LastOrDefault() ?? string.Empty;
            listening.ShouldContain("Now listening on", customMessage: "the service started and said where it listens");
            foreach (var line in lines.Where(l => l.Length > 0))
            {
                using var entry = JsonDocument.Parse(line);
                entry.RootElement.GetProperty("Category").GetString().ShouldNotBeNullOrEmpty(line);
                entry.RootElement.GetProperty("Message").GetString().ShouldNotBeNull(line);
            }

            using var last = JsonDocument.Parse(listening);
            last.RootElement.GetProperty("State").GetProperty("address").GetString()!.ShouldStartWith("http://127.0.0.1:");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public void The_README_counts_the_browser_scenarios_there_are()
    {
        var scenarios = typeof(Pages.PageScenarioTests).GetMethods().Count(m => m.GetCustomAttribute<FactAttribute>() is not null);
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Ingest.sln")))
        {
            root = root.Parent!;
        }

        string[] words = ["Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen"];
        File.ReadAllText(Path.Combine(root.FullName, "README.md")).ShouldContain($"{words[scenarios]} scenarios run in Chromium");
    }
}
