using System.Net;
using System.Net.Http.Json;
using System.Text;
using Ingest.Application.Claims;
using Ingest.Application.Rating;
using Ingest.Host.Documents;
using Ingest.Scoring.Claims;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;
using Ingest.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Ingest.Host.Tests.People.People;
using static Ingest.Host.Tests.Scoring.ScoresheetApiTests;

namespace Ingest.Host.Tests.Audit;

/// <summary>The discrepancy report worked out by hand from the seeded facts: which claims go beyond the data, and whose level is in doubt.</summary>
public class ClaimsReportTests
{
    private const string Cycle = "school:2024";
    private const string Sheet = "/api/scoresheets/" + Cycle + "/" + School;

    [Fact]
    public async Task Claims_giving_four_stars_where_the_data_caps_the_school_at_three_through_star_23_put_its_level_in_doubt()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        // The application index equals the region's (200 points a teacher): item 23★ scores 0 on the data.
        await People.People.SeedAsync(host, FullFacts(appIndexPoints: 8000));
        using var school = await HostFixture.ClientAsAsync(host, "school", School, "城关一小");
        var sheet = await GetAsync(school, Sheet);

        // The school's counts and 是/否 go in as entries; its scores as a claims file, as the bulletin school would claim them,
        // with 23★ at its full 2 points (and 310 points a teacher) and 17 one point below what the data gives.
        foreach (var body in BulletinEntries(sheet, "self").Where(b => b.Score is null))
        {
            (await school.PostAsJsonAsync(Sheet + "/entries", body)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var bulletin = BulletinEntries(sheet, "self").Where(b => b.Score is not null).ToDictionary(b => b.Target, b => b.Score!.Value);
        var rubric = RubricLibrary.Get(RubricLibrary.School2022);
        var rows = new List<string> { "学校标识码,学校名称,序号,指标,分值,自评得分,自评数据,说明" };
        foreach (var line in sheet.Lines.Where(l => l.Kind is "auto" or "score"))
        {
            var number = line.Part is null ? line.Item
                : $"{line.Item}.{((PartsRule)rubric.Find(line.Item)!.Rule).Parts.Select(p => p.Key).ToList().IndexOf(line.Part) + 1}";
            var claimed = line.Target switch
            {
                "23" => "2,310",
                "17" => RaterText.Score(line.Points - 1) + ",",
                _ => RaterText.Score(bulletin.GetValueOrDefault(line.Target, line.Points)) + ",",
            };
            rows.Add($"{School},,{number},,,{claimed},");
        }

        var imported = await school.PostAsync($"/api/claims/{Cycle}/import?fileName=self.csv", new ByteArrayContent(Encoding.UTF8.GetBytes(string.Join("\r\n", rows))));
        imported.StatusCode.ShouldBe(HttpStatusCode.OK, await imported.Content.ReadAsStringAsync());

        var audit = (await school.GetFromJsonAsync<SchoolClaimsAudit>($"/api/claims/{Cycle}/{School}/report", Json))!;
        var report = audit.Report;
        audit.Basis.AsOf.ShouldBeNull();
        audit.Basis.Runs.Select(r => r.Id).ShouldBe([1L], "the seeded facts were recorded by run 1");

        // By hand: the claims make the bulletin's 94.5 less the point given up on 17 = 93.5, four stars. The data puts 23 at 0
        // and 17 back at its full points: 93.5 − 2 + 1 = 92.5, and ★23 short of full points stops the level at three stars.
        report.ClaimedStars!.UnmetVetoItems.ShouldBeEmpty();
        (report.ClaimedTotal, report.ClaimedStars!.Stars, report.DataTotal, report.DataStars!.Stars).ShouldBe((93.5m, 4, 92.5m, 3));
        report.LevelInDoubt.ShouldBeTrue();
        report.DecidingVetoItems.ShouldBe(["23"]);
        var first = report.Lines[0];
        (first.Claim.Target, first.DataScore, first.Excess, first.Verdict, first.FigureAbove).ShouldBe(("23", 0m, 2m, ClaimVerdict.Above, true));
        first.Online!.Value.ShouldBe(200, "the school's own application index, 8000 points over 40 teachers");
        report.Lines.Single(l => l.Claim.Target == "17").Verdict.ShouldBe(ClaimVerdict.Below);
        report.Lines.Single(l => l.Claim.Target == "19").Verdict.ShouldBe(ClaimVerdict.Consistent);
        report.Lines.ShouldNotContain(l => l.Claim.Target == "22", "an on-site item has no data to compare with");
        report.Lines.Count(l => l.Verdict == ClaimVerdict.Above).ShouldBe(1);

        // The county: one school with claims beyond the data, 2 points in all, its level in doubt; readers in scope only.
        using var auditor = await HostFixture.ClientAsAsync(host, "auditor", "640424", "泾源县审计");
        var county = (await auditor.GetFromJsonAsync<CountyClaimsReport>($"/api/claims/{Cycle}/report", Json))!;
        (county.SchoolsWithClaims, county.SchoolsWithExcess, county.TotalExcess).ShouldBe((1, 1, 2m));
        county.LevelInDoubt.ShouldBe([School]);
        (await school.GetAsync($"/api/claims/{Cycle}/report?county=640424")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // The same report as a file to hand over: UTF-8 CSV, the most excess first, and an xlsx of the same lines.
        var csv = await auditor.GetByteArrayAsync($"/api/claims/{Cycle}/report.csv");
        csv.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        var exported = Encoding.UTF8.GetString(csv.AsSpan(3)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        exported[0].ShouldBe(string.Join(',', ClaimsReportExport.Header));
        exported[1].ShouldStartWith($"{School},泾源县城关第一小学,23,");
        exported[1].ShouldContain(",2,0,2,310,");
        exported[1].ShouldContain("高于数据");
        exported[1].ShouldContain("等级存疑：★23 按数据未得满分");
        exported.Length.ShouldBe(1 + report.Lines.Count);
        using var workbook = new MemoryStream(await auditor.GetByteArrayAsync($"/api/claims/{Cycle}/report.xlsx"));
        var cells = Ingest.Documents.Forms.Xlsx.Read(workbook, "自评核查")!;
        (cells[(2, 3)], cells[(2, 12)]).ShouldBe(("23", "高于数据"));
        workbook.Position = 0;
        var basis = Ingest.Documents.Forms.Xlsx.Read(workbook, "数据依据")!;
        (basis[(3, 2)], basis[(4, 1)]).ShouldBe(("生成时的当前数据", "采集批次 1"), "the file names the moment and the runs it stands on");
        using var foreignAuditor = await HostFixture.ClientAsAsync(host, "auditor", "640422", "西吉县审计");
        (await foreignAuditor.GetAsync($"/api/claims/{Cycle}/report?county=640424")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await foreignAuditor.GetAsync($"/api/claims/{Cycle}/{School}/report")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_report_as_of_a_time_or_a_run_reads_the_same_after_later_runs_change_the_figures()
    {
        var cs = await HostFixture.DatabaseAsync();
        // The service's clock is the test's: each step happens a minute after the one before, whatever the machine's speed.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var host = await HostFixture.StartAsync(cs, services: s => s.AddSingleton<TimeProvider>(clock));
        var beforeClaims = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromMinutes(1));
        await People.People.SeedAsync(host, FullFacts(appIndexPoints: 8000));
        using var school = await HostFixture.ClientAsAsync(host, "school", School, "城关一小");
        await GetAsync(school, Sheet);
        var claims = $"学校标识码,序号,自评得分,自评数据\r\n{School},23,2,300\r\n{School},19,3,\r\n";
        (await school.PostAsync($"/api/claims/{Cycle}/import?fileName=self.csv", new ByteArrayContent(Encoding.UTF8.GetBytes(claims)))).EnsureSuccessStatusCode();
        using var auditor = await HostFixture.ClientAsAsync(host, "auditor", "640424", "泾源县审计");
        var handedOut = await auditor.GetStringAsync($"/api/claims/{Cycle}/{School}/report");
        var first = System.Text.Json.JsonSerializer.Deserialize<SchoolClaimsAudit>(handedOut, Json)!;
        first.Report.Lines.Single(l => l.Claim.Target == "23").Verdict.ShouldBe(ClaimVerdict.Above);
        clock.Advance(TimeSpan.FromMinutes(1));
        var handedOutAt = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromMinutes(1));
        var finished = clock.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        (await HostFixture.ScalarAsync<long>(cs, $"UPDATE ingest.run SET status = 'succeeded', finished_at = '{finished}' WHERE id = 1 RETURNING id")).ShouldBe(1);
        clock.Advance(TimeSpan.FromMinutes(1));

        // A month later run 2 reads 300 points a teacher: 23 now scores its 2 points on the data, and the claim (300) agrees.
        await People.People.SeedAsync(host, FullFacts(appIndexPoints: 12000));
        await host.App.Services.GetRequiredService<ScoresheetPrefill>().RescoreAfterRunAsync(2, ["2023"], CancellationToken.None);
        var now = (await auditor.GetFromJsonAsync<SchoolClaimsAudit>($"/api/claims/{Cycle}/{School}/report", Json))!;
        now.Report.Lines.Single(l => l.Claim.Target == "23").Verdict.ShouldBe(ClaimVerdict.Consistent);
        now.Basis.Runs.Select(r => r.Id).ShouldContain(2L);

        // As of the moment it was handed out, and as of the end of run 1: the same report, line for line, naming run 1 only.
        var asOf = Uri.EscapeDataString(handedOutAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var again = (await auditor.GetFromJsonAsync<SchoolClaimsAudit>($"/api/claims/{Cycle}/{School}/report?asOf={asOf}", Json))!;
        System.Text.Json.JsonSerializer.Serialize(again.Report, Json).ShouldBe(System.Text.Json.JsonSerializer.Serialize(first.Report, Json));
        again.Basis.Runs.Select(r => r.Id).ShouldBe([1L]);
        var byRun = (await auditor.GetFromJsonAsync<SchoolClaimsAudit>($"/api/claims/{Cycle}/{School}/report?run=1", Json))!;
        System.Text.Json.JsonSerializer.Serialize(byRun.Report, Json).ShouldBe(System.Text.Json.JsonSerializer.Serialize(first.Report, Json));
        byRun.Basis.AsOfRun.ShouldBe(1);
        var county = (await auditor.GetFromJsonAsync<CountyClaimsReport>($"/api/claims/{Cycle}/report?run=1", Json))!;
        (county.TotalExcess, county.Basis.Runs.Single().Id).ShouldBe((2m, 1L));

        // Before the claims were imported the school had none; a run still going, a word for a time, or both at once are refused.
        (await auditor.GetAsync($"/api/claims/{Cycle}/{School}/report?asOf=" + Uri.EscapeDataString(beforeClaims.ToString("O", System.Globalization.CultureInfo.InvariantCulture))))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var running = await auditor.GetAsync($"/api/claims/{Cycle}/report?run=2");
        running.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await running.Content.ReadAsStringAsync()).ShouldContain("采集批次 2 尚未结束");
        (await auditor.GetAsync($"/api/claims/{Cycle}/report?asOf=yesterday")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await auditor.GetAsync($"/api/claims/{Cycle}/report?asOf={asOf}&run=1")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
