using System.Net;
using Ingest.Testing;
using static Ingest.Host.Tests.People.People;

namespace Ingest.Host.Tests.Operations;

/// <summary>The facts page as an auditor searches it: an indicator by its Chinese name, and an honest count.</summary>
public class FactsPageTests
{
    [Fact]
    public async Task An_indicator_is_found_by_its_name_and_a_name_shared_by_several_offers_the_choice()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host);
        using var auditor = await HostFixture.ClientAsAsync(host, "auditor", "640000", "审计处");

        // 应用指数 names two indicators (应用指数, 在线课堂应用指数): the page lists both to choose from.
        var several = await auditor.GetStringAsync("/ops/facts?indicator=" + Uri.EscapeDataString("应用指数"));
        several.ShouldContain("对应多个指标，请选择");
        several.ShouldContain("indicator=cloud.app_index");
        several.ShouldContain("indicator=progress.classroom_app_index");

        // The name of one indicator finds its facts, counted as they are.
        var one = await auditor.GetAsync($"/ops/facts?org={School}&indicator=" + Uri.EscapeDataString("学生空间活跃率"));
        one.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await one.Content.ReadAsStringAsync();
        page.ShouldContain("共 1 条");
        page.ShouldContain("cloud.student_space_active_rate");

        (await auditor.GetStringAsync("/ops/facts?indicator=" + Uri.EscapeDataString("不存在的指标"))).ShouldContain("没有名称或代码含“不存在的指标”的指标");
    }
}
