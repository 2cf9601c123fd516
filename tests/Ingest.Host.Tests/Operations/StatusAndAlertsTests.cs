using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ingest.Application.Operations;
using Ingest.Host.Operations;
using Ingest.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static Ingest.Host.Tests.Cli.CliTests;

namespace Ingest.Host.Tests.Operations;

/// <summary>After a night with one county the upstream refuses: what is stale and failing, and the one call the webhook gets.</summary>
public class StatusAndAlertsTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task A_night_with_a_forbidden_county_shows_it_stale_and_failing_and_calls_the_webhook_once_with_the_failures()
    {
        var cs = await HostFixture.DatabaseAsync();
        using var receiver = WireMockServer.Start();
        receiver.Given(Request.Create().WithPath("/hooks/ingest").UsingPost()).RespondWith(Response.Create().WithStatusCode(204));
        var connector = new TestConnector { Forbidden = { "640425" } };
        await using var host = await HostFixture.StartAsync(cs, connector, new Dictionary<string, string?>
        {
            ["Ingest:Operations:WebhookUrl"] = receiver.Url + "/hooks/ingest",
        });
        using var ops = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");

        var started = await ops.PostAsJsonAsync("/api/runs", new StartRunBody("county:2024", null, ["640424", "640425"], null));
        var answer = (await started.Content.ReadFromJsonAsync<StartRunAnswer>())!;
        (await HostFixture.WaitForRunAsync(host, answer.RunId)).Status.ShouldBe("partial");

        // 640425 never succeeded: stale, and failing with the upstream's refusal; 640424 is fresh.
        var status = (await ops.GetFromJsonAsync<OperationsStatus>("/api/status", Json))!;
        status.Stale.ShouldHaveSingleItem().CountyCode.ShouldBe("640425");
        var failing = status.Failing.ShouldHaveSingleItem();
        (failing.Connector, failing.CountyCode).ShouldBe(("test", "640425"));
        failing.LastError!.ShouldContain("40301");
        status.All.Single(f => f.CountyCode == "640424").Stale.ShouldBeFalse();
        using var auditor = await HostFixture.ClientAsAsync(host, "auditor", "640000", "审计处");
        (await auditor.GetAsync("/api/status")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // One call, however many units finished the run, naming each failed unit and the stale county.
        await WaitForAsync(() => receiver.LogEntries.Count >= 1, "the webhook's call");
        // Every unit's job has ended: any call a later unit could have made has been made.
        await HostFixture.WaitForJobsAsync(cs);
        var call = receiver.LogEntries.ShouldHaveSingleItem();
        var alert = JsonSerializer.Deserialize<RunAlert>(call.RequestMessage!.Body!, Json)!;
        (alert.Event, alert.RunId, alert.Status).ShouldBe(("run.completed", answer.RunId, "partial"));
        alert.Failures.Count.ShouldBe(answer.Units / 2, "every unit of 640425, one per period it reads");
        alert.Failures.ShouldAllBe(f => f.CountyCode == "640425" && f.Error.Contains("40301"));
        alert.Stale.ShouldHaveSingleItem().CountyCode.ShouldBe("640425");
        alert.Text.ShouldStartWith($"采集批次 {answer.RunId}（county:2024）结束：部分失败；失败或中断 {answer.Units / 2} 个单元，数据过期 1 个县（区）·接口");

        // The status verb says the same at the command line, and exits 1 for the monitoring that runs it.
        var (exit, output, _) = await RunWithInputAsync(null, ["status"], ("ConnectionStrings__Ingest", cs));
        exit.ShouldBe(1);
        output.ShouldContain("过期 1 个，失败 1 个");
        output.ShouldContain("40301");
    }

    [Fact]
    public async Task A_backfill_of_a_past_period_says_so_and_leaves_last_nights_freshness_alone()
    {
        var cs = await HostFixture.DatabaseAsync();
        var connector = new TestConnector { Forbidden = { "640425" } };
        await using var host = await HostFixture.StartAsync(cs, connector);
        using var ops = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");
        var night = (await (await ops.PostAsJsonAsync("/api/runs", new StartRunBody("county:2024", null, ["640424"], null)))
            .Content.ReadFromJsonAsync<StartRunAnswer>())!;
        var nightRun = await HostFixture.WaitForRunAsync(host, night.RunId);
        var before = (await ops.GetFromJsonAsync<OperationsStatus>("/api/status", Json))!;

        // A person re-reads 2021 for both counties; 640425 is refused again.
        var backfill = (await (await ops.PostAsJsonAsync("/api/runs", new StartRunBody(null, "2021", ["640424", "640425"], null)))
            .Content.ReadFromJsonAsync<StartRunAnswer>())!;
        var run = await HostFixture.WaitForRunAsync(host, backfill.RunId);
        (run.Status, run.Backfill, nightRun.Backfill).ShouldBe(("partial", true, false));
        (await ops.GetStringAsync($"/ops/runs/{backfill.RunId}")).ShouldContain("补采");

        // Last night's state is what it was: 640424's last success is the night's, and 640425 is not reported at all.
        var after = (await ops.GetFromJsonAsync<OperationsStatus>("/api/status", Json))!;
        after.All.Select(f => (f.CountyCode, f.LastSuccessRun, f.LastFailure)).ShouldBe(before.All.Select(f => (f.CountyCode, f.LastSuccessRun, f.LastFailure)));
        after.All.ShouldHaveSingleItem().LastSuccessRun.ShouldBe(night.RunId);
    }

    /// <summary>Waits for a condition; one that does not come within a minute fails the test, naming what was awaited.</summary>
    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > TimeSpan.FromMinutes(1))
            {
                throw new TimeoutException($"Waited a minute for {what}.");
            }

            await Task.Delay(50);
        }
    }
}
