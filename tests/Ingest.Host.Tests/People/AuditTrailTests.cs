using System.Net;
using System.Net.Http.Json;
using Ingest.Host.Operations;
using Ingest.Testing;
using static Ingest.Host.Tests.People.People;

namespace Ingest.Host.Tests.People;

/// <summary>
/// Every change a person makes leaves its line in the trail in the same transaction: when the line cannot be written
/// (the service's role is refused INSERT on the trail here), the change is not made either.
/// </summary>
public class AuditTrailTests
{
    private const string Cycle = "school:2024";

    [Fact]
    public async Task A_writer_opening_a_sheet_pre_fills_it_with_a_line_in_the_trail_and_a_reader_leaves_none()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host);
        using var auditor = await HostFixture.ClientAsAsync(host, "auditor", "640000", "审计处");
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "李老师");

        (await auditor.GetAsync($"/api/scoresheets/{Cycle}/{School}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "a reader does not pre-fill");
        (await bureau.GetAsync($"/api/scoresheets/{Cycle}/{School}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await auditor.GetAsync($"/api/scoresheets/{Cycle}/{School}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var opened = await HostFixture.ScalarAsync<string>(cs,
            $"SELECT string_agg(actor || ' ' || role || ' ' || subject, '; ') FROM ingest.audit_event WHERE action = 'sheet.open' AND org_code = '{School}'");
        opened.ShouldBe($"李老师 bureau {Cycle}", "one line, by the writer whose GET pre-filled it; the readers' GETs left none");
    }

    [Fact]
    public async Task When_the_trail_cannot_be_written_no_sheet_is_opened_or_re_scored_and_no_run_is_started()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs, new TestConnector());
        await SeedAsync(host);
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "李老师");
        using var ops = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");
        (await bureau.PostAsync($"/api/counties/640424/scoresheets/{Cycle}", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var scoredAt = await HostFixture.ScalarAsync<DateTime>(cs, $"SELECT max(scored_at) FROM ingest.scoresheet WHERE org_code = '{School}'");
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.audit_event WHERE action = 'sheet.rescore' AND org_code = '640424'")).ShouldBe(1);

        await HostFixture.ScalarAsync<int>(cs, "REVOKE INSERT ON ingest.audit_event FROM ingest_app; SELECT 1");
        try
        {
            (await bureau.PostAsync($"/api/counties/640424/scoresheets/{Cycle}", null)).IsSuccessStatusCode.ShouldBeFalse();
            (await bureau.PostAsync($"/api/scoresheets/{Cycle}/{School}", null)).IsSuccessStatusCode.ShouldBeFalse();
            (await bureau.GetAsync($"/api/scoresheets/school:2023/{School}")).IsSuccessStatusCode.ShouldBeFalse();
            (await ops.PostAsJsonAsync("/api/runs", new StartRunBody(null, "2023", ["640424"], null))).IsSuccessStatusCode.ShouldBeFalse();
        }
        finally
        {
            await HostFixture.ScalarAsync<int>(cs, "GRANT INSERT ON ingest.audit_event TO ingest_app; SELECT 1");
        }

        (await HostFixture.ScalarAsync<DateTime>(cs, $"SELECT max(scored_at) FROM ingest.scoresheet WHERE org_code = '{School}'"))
            .ShouldBe(scoredAt, "neither re-score was kept without its line");
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.scoresheet WHERE cycle = 'school:2023'")).ShouldBe(0, "no sheet opened without its line");
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.run_unit")).ShouldBe(0, "no unit planned without its line");
        (await HostFixture.ScalarAsync<string>(cs, "SELECT string_agg(status || ' ' || note, '; ') FROM ingest.run WHERE trigger = 'api'"))
            .ShouldStartWith("failed 未能登记采集单元", customMessage: "the run that could not be planned is closed, saying why");

        // With the trail writable again, a person's run is planned with its line.
        var started = await ops.PostAsJsonAsync("/api/runs", new StartRunBody(null, "2023", ["640424"], null));
        started.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var run = (await started.Content.ReadFromJsonAsync<StartRunAnswer>())!;
        (await HostFixture.ScalarAsync<string>(cs, $"SELECT actor FROM ingest.audit_event WHERE action = 'run.start' AND subject = '{run.RunId}'")).ShouldBe("运维值班");
    }
}
