using System.Net.Http.Json;
using System.Text;
using Ingest.Application.Claims;
using Ingest.Application.Ingestion;
using Ingest.Application.Rating;
using Ingest.Core.Facts;
using Ingest.Fixtures.CloudPlatform;
using Ingest.Fixtures.Progress;
using Ingest.Fixtures.Region;
using Ingest.Host.Operations;
using Ingest.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Ingest.Host.Tests.People.People;
using static Ingest.Host.Tests.Scoring.ScoresheetApiTests;

namespace Ingest.Host.Tests.Audit;

/// <summary>Signs of gaming beyond the claims, worked out by hand from the fixture data: 期末突击 and the same item over-claimed two cycles running.</summary>
public class GamingSignsTests
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    [Fact]
    public async Task The_school_that_crams_its_lessons_into_the_last_four_teaching_weeks_is_flagged_with_its_weekly_series()
    {
        var cs = await HostFixture.DatabaseAsync();
        var region = DatasetRegion.LoadShipped("progress-surge");
        using var cloud = FakeCloudPlatform.Start(region);
        using var progress = FakeProgressSystem.Start(region);
        await using var host = await HostFixture.StartAsync(cs, settings: new Dictionary<string, string?>
        {
            ["Connectors:CloudPlatform:Enabled"] = "true",
            ["Connectors:CloudPlatform:BaseUrl"] = cloud.Url,
            ["Connectors:CloudPlatform:ClientId"] = cloud.Options.ClientId,
            ["Connectors:CloudPlatform:ClientSecret"] = cloud.Options.ClientSecret,
            ["Connectors:Progress:Enabled"] = "true",
            ["Connectors:Progress:BaseUrl"] = progress.Url,
            ["Connectors:Progress:ApiKey"] = progress.Options.ApiKey,
        });
        var run = await host.App.Services.GetRequiredService<RunStarter>().StartAsync(
            new IngestionRequest("test", Core.Periods.EvaluationCycle.Parse("school:2024"), null), Data.Audit.Actor.CommandLine("测试"), CancellationToken.None);
        await HostFixture.WaitForRunAsync(host, run.RunId);

        using var auditor = await HostFixture.ClientAsAsync(host, "auditor", "640424", "泾源县审计");
        var report = (await auditor.GetFromJsonAsync<CountyClaimsReport>("/api/claims/school:2024/report?county=640424", Json))!;

        // By hand from progress-surge.json: the county holds lessons in the 20 weeks from 2024-03-04. 2164240003 holds 1 a
        // week for 16 weeks and 8 a week in the last four: median 1, 32 lessons against 3 × 1 × 4 = 12. 2164240001 (2 a week
        // throughout: 8 against 24) and 2164240002 (4 lessons, fewer than the 8 a surge needs) are not flagged.
        var surge = report.Surges.ShouldHaveSingleItem();
        (surge.SchoolCode, surge.Period, surge.Median, surge.LastWeeksLessons, surge.Threshold).ShouldBe(("2164240003", "2023-2024", 1m, 32m, 12m));
        surge.LastWeeks.ShouldBe([new DateOnly(2024, 6, 24), new DateOnly(2024, 7, 1), new DateOnly(2024, 7, 8), new DateOnly(2024, 7, 15)]);
        surge.Series.Count.ShouldBe(20);
        surge.Series[0].ShouldBe(new global::Ingest.Scoring.Claims.WeekLessons(new DateOnly(2024, 3, 4), 1));
        surge.Series.Sum(w => w.Lessons).ShouldBe(48);
        surge.School.RunId.ShouldBe(run.RunId);
        report.SchoolsWithClaims.ShouldBe(0, "the data alone shows it: no claims needed");

        // The workbook handed over carries it too, with the series.
        using var workbook = new MemoryStream(await auditor.GetByteArrayAsync("/api/claims/school:2024/report.xlsx?county=640424"));
        var signs = Ingest.Documents.Forms.Xlsx.Read(workbook, "数据异常迹象")!;
        (signs[(2, 1)], signs[(2, 2)]).ShouldBe(("2164240003", "期末突击"));
        signs[(2, 4)].ShouldStartWith("最后 4 个教学周开课 32 节，周中位数 1 节，阈值 12 节；每周（周一）：2024-03-04 1、");

        // The page shows it with the series.
        var page = await auditor.GetStringAsync("/audit/claims/school:2024/640424");
        page.ShouldContain("期末突击");
        page.ShouldContain("2164240003");
    }

    [Fact]
    public async Task An_item_claimed_beyond_the_data_two_cycles_running_is_flagged_and_one_cycle_alone_is_not()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await People.People.SeedAsync(host, FullFacts(appIndexPoints: 8000));
        await People.People.SeedAsync(host, OneYearEarlier(FullFacts(appIndexPoints: 12000)));
        using var school = await HostFixture.ClientAsAsync(host, "school", School, "城关一小");
        foreach (var cycle in new[] { "school:2023", "school:2024" })
        {
            var claims = $"学校标识码,序号,自评得分,自评数据\r\n{School},23,2,300\r\n{School},19,3,\r\n";
            (await school.PostAsync($"/api/claims/{cycle}/import?fileName={cycle[7..]}.csv", new ByteArrayContent(Encoding.UTF8.GetBytes(claims))))
                .EnsureSuccessStatusCode();
        }

        // 2023: 300 points a teacher in 2022 earns 23 its 2 points; 2024: 200 in 2023 earns nothing. Above in one cycle only.
        using var auditor = await HostFixture.ClientAsAsync(host, "auditor", "640424", "泾源县审计");
        var report = (await auditor.GetFromJsonAsync<CountyClaimsReport>("/api/claims/school:2024/report", Json))!;
        report.Schools.Single().Lines.Single(l => l.Claim.Target == "23").Excess.ShouldBe(2);
        report.Repeated.ShouldBeEmpty();

        // A later run finds 2022 at 200 points a teacher too: 23 goes beyond the data in both cycles.
        await People.People.SeedAsync(host, OneYearEarlier(FullFacts(appIndexPoints: 8000)));
        await host.App.Services.GetRequiredService<ScoresheetPrefill>().RescoreAfterRunAsync(3, ["2022"], CancellationToken.None);
        report = (await auditor.GetFromJsonAsync<CountyClaimsReport>("/api/claims/school:2024/report", Json))!;
        var repeated = report.Repeated.ShouldHaveSingleItem();
        (repeated.SchoolCode, repeated.Target, repeated.PreviousCycle, repeated.PreviousExcess, repeated.Cycle, repeated.Excess)
            .ShouldBe((School, "23", "school:2023", 2m, "school:2024", 2m));
        var audit = (await auditor.GetFromJsonAsync<SchoolClaimsAudit>($"/api/claims/school:2024/{School}/report", Json))!;
        audit.Repeated.ShouldHaveSingleItem().Target.ShouldBe("23");
    }

    /// <summary>The same facts a year earlier: calendar year 2022 and school year 2022-2023.</summary>
    private static IndicatorFact[] OneYearEarlier(IndicatorFact[] facts) =>
        facts.Select(f => f with { Period = f.Period == "2023-2024" ? "2022-2023" : f.Period == "2023" ? "2022" : f.Period }).ToArray();
}
