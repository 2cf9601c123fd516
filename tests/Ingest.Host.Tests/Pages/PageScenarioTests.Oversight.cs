using System.Net;
using System.Net.Http.Json;
using Ingest.Host.Scoring;
using Microsoft.Playwright;
using static Ingest.Host.Tests.Pages.BrowserSite;

namespace Ingest.Host.Tests.Pages;

public sealed partial class PageScenarioTests
{
    /// <summary>
    /// The department oversees 泾源县: from the menu to the table of 第十五条, down to the line the bureau raised above the data
    /// with its reason, a spot check drawn from a seed on the page, and its decision on the county; the bureau is kept out
    /// of the report and told the spot check is not published yet.
    /// </summary>
    [Fact]
    public async Task The_department_follows_a_county_from_the_table_of_article_15_to_the_line_its_bureau_raised_and_records_its_decision()
    {
        // Arranged through the API: the bureau rates the teaching point in full (no other scenario touches its sheet) and raises a
        // pre-filled line above its data.
        const string rated = "2164240004"; // 泾源县泾河源镇黄花教学点
        using var bureau = await site.ApiAsync("bureau", County, "泾源县教育局李老师");
        await FillAsync(bureau, rated, "bureau");
        var raised = (await SheetAsync(bureau, rated)).Lines.FirstOrDefault(l => l.Auto?.Score is { } s && s < l.Points);
        raised.ShouldNotBeNull("a pre-filled line below full points in the fixture's data for the teaching point");
        var entry = await bureau.PostAsJsonAsync($"/api/scoresheets/{Cycle}/{rated}/entries",
            new EntryBody(raised.Target, "bureau", raised.Points, null, null, "学校提供了线下佐证", "泾源县教育局李老师"));
        entry.StatusCode.ShouldBe(HttpStatusCode.OK, await entry.Content.ReadAsStringAsync());
        var item = global::Ingest.Scoring.Rubrics.PrintedItems.Number(raised.Target);

        var page = await site.NewPageAsync();
        await SignInAsync(page, "ting-wang");
        await page.GetByRole(AriaRole.Link, new() { Name = "评定监督" }).ClickAsync();
        await ArriveAsync(page, u => u.EndsWith($"/oversight/{Cycle}", StringComparison.Ordinal), "to 评定监督");
        var line = page.Locator($"#article-15 tr[data-county='{County}']");
        (await line.Locator("th").InnerTextAsync()).ShouldBe("泾源县");
        decimal.Parse(await line.Locator("td").Nth(4).InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(0, "points beyond the data");
        (await page.Locator("nav a[aria-current=page]").AllInnerTextsAsync()).ShouldBe(["评定监督"]);
        await ScreenshotAsync(page, "department-oversight");

        await line.GetByRole(AriaRole.Link, new() { Name = "泾源县" }).ClickAsync();
        await ArriveAsync(page, u => u.EndsWith($"/oversight/{Cycle}/{County}", StringComparison.Ordinal), "to the county");
        var row = page.Locator($"#school-{rated} table.overrides tr[data-item='{item}']");
        var text = await row.InnerTextAsync();
        text.ShouldContain("学校提供了线下佐证");
        text.ShouldContain("泾源县教育局李老师");
        text.ShouldContain("+" + global::Ingest.Scoring.Sheets.RaterText.Score(raised.Points - raised.Auto!.Score!.Value));

        // 通报批评 needs its reason: refused on the page, then recorded.
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "通报批评" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "记录决定" }).ClickAsync();
        await Assertions.Expect(page.Locator("#errors")).ToContainTextAsync("对泾源县通报批评须写明理由");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "通报批评" }).CheckAsync();
        await page.GetByLabel("说明（通报批评时必填）").FillAsync("教育局评定多处高于网上数据");
        await page.GetByRole(AriaRole.Button, new() { Name = "记录决定" }).ClickAsync();
        await Assertions.Expect(page.Locator("#notice")).ToHaveTextAsync("已记录教育厅的决定");
        (await page.Locator("#decision-now").InnerTextAsync()).ShouldStartWith("通报批评。教育局评定多处高于网上数据");
        await ScreenshotAsync(page, "department-oversight-county");

        // A spot check drawn on the page from a seed the department types.
        await page.Locator("#spot-checks").ClickAsync();
        await ArriveAsync(page, u => u.Contains("/spot-checks", StringComparison.Ordinal), "to 抽查");
        await page.GetByLabel("随机种子（可不填，由系统生成并记录）").FillAsync("20261203");
        await page.GetByRole(AriaRole.Button, new() { Name = "抽取" }).ClickAsync();
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("（随机种子 20261203）");
        (await page.Locator("#seed-used").InnerTextAsync()).ShouldBe("20261203");
        (await page.Locator($"#checks tr[data-school='{rated}'] td").Nth(0).InnerTextAsync()).ShouldBe("教学点");
        await page.SetViewportSizeAsync(390, 844);
        await ScreenshotAsync(page, "department-spot-checks-phone");

        // The bureau is overseen, not an overseer; its 抽查结果 waits for the department to close the draw.
        var office = await site.NewPageAsync();
        await SignInAsync(office, "jy-bureau");
        var refused = await office.GotoAsync($"/oversight/{Cycle}/{County}");
        refused!.Status.ShouldBe(403);
        await office.GetByRole(AriaRole.Link, new() { Name = "抽查结果" }).ClickAsync();
        await Assertions.Expect(office.Locator("#no-draw")).ToHaveTextAsync("教育厅尚未公布2024年度的抽查结果");

        // The county evaluation visit: the bureau types its report; the department draws the schools to visit and notes a talk.
        await office.GetByRole(AriaRole.Link, new() { Name = "实地评估" }).ClickAsync();
        await ArriveAsync(office, u => u.Contains($"/visits/county:", StringComparison.Ordinal), "to 实地评估");
        await office.GetByLabel("汇报（2000字以内，不计空白；重新提交即替换）").FillAsync("一、取得的成绩\n全县学校在线课堂全覆盖。");
        await office.GetByRole(AriaRole.Button, new() { Name = "保存汇报" }).ClickAsync();
        await Assertions.Expect(office.Locator("#notice")).ToHaveTextAsync("汇报已保存（19 字）");
        (await office.Locator("#report-text").InnerTextAsync()).ShouldContain("全县学校在线课堂全覆盖。");
        (await office.Locator("form[aria-label='记录座谈交流']").CountAsync()).ShouldBe(0, "the talks are the experts' to note");
        var visitPath = new Uri(office.Url).AbsolutePath;

        await page.SetViewportSizeAsync(1366, 768);
        await page.GotoAsync($"/oversight/{Cycle}/{County}");
        await page.Locator("#visit").ClickAsync();
        await ArriveAsync(page, u => u.Contains("/visits/county:", StringComparison.Ordinal), "to 实地评估");
        Uri.UnescapeDataString(new Uri(page.Url).AbsolutePath).ShouldBe(Uri.UnescapeDataString(visitPath), "the bureau's menu and the department's link lead to one visit");
        (await page.Locator("#report-text").InnerTextAsync()).ShouldContain("全县学校在线课堂全覆盖。");
        await page.GetByLabel("随机种子（可不填，由系统生成并记录）").FillAsync("7");
        await page.GetByRole(AriaRole.Button, new() { Name = "抽取学校" }).ClickAsync();
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("（随机种子 7）");
        (await page.Locator("#drawn li").CountAsync()).ShouldBeGreaterThan(0);
        await page.GetByLabel("发言人").SelectOptionAsync("教师");
        await page.GetByLabel("问题或意见").FillAsync("专递课堂接收端设备老化");
        await page.GetByRole(AriaRole.Button, new() { Name = "记录" }).ClickAsync();
        await Assertions.Expect(page.Locator("#note-list")).ToContainTextAsync("专递课堂接收端设备老化");
        await ScreenshotAsync(page, "department-visit");
    }
}
