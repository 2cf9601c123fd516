using System.Net;
using System.Net.Http.Json;
using Ingest.Application.People;
using Ingest.Host.Scoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Ingest.Host.Tests.Pages.BrowserSite;

namespace Ingest.Host.Tests.Pages;

public sealed partial class PageScenarioTests
{
    /// <summary>
    /// The rating year after the ratings, in 西吉县 so that no other scenario's sheets are frozen: the bureau finalises its
    /// county, forwards a 申报四星级 and awards its 三星级; the department decides and awards the forwarded school, imports a level
    /// from before this service and lowers the school 第十四条 then lists.
    /// </summary>
    [Fact]
    public async Task A_bureau_finalises_forwards_and_awards_and_the_department_decides_and_lowers_a_level()
    {
        const string xiji = "640422";
        const string applicant = "2164220001"; // 西吉县实验小学
        const string kept = "2164220002"; // 西吉县第二中学
        (await site.Host.App.Services.GetRequiredService<AccountService>().CreateAsync(Caller.CommandLine("测试"), "xj-bureau", "西吉县教育局马老师", Roles.Bureau, xiji,
            Password, CancellationToken.None)).Refusal.ShouldBeNull();

        // Arranged through the API: both schools rated in full by the bureau; the first applies for 四星级.
        using var bureau = await site.ApiAsync("bureau", xiji, "西吉县教育局马老师");
        using var department = await site.ApiAsync("department", "640000", "教育厅王处长");
        using var school = await site.ApiAsync("school", applicant, "实验小学");
        (await bureau.PostAsync($"/api/counties/{xiji}/scoresheets/{Cycle}", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await school.PutAsJsonAsync($"/api/scoresheets/{Cycle}/{applicant}/applied-stars", new { stars = 4 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await FillAsync(bureau, applicant, "bureau");
        await FillAsync(bureau, kept, "bureau");

        // The bureau: 备案 on its county page, then on to 认定与授牌.
        var page = await site.NewPageAsync();
        await SignInAsync(page, "xj-bureau");
        // 2024's 8月31日 has passed (this machine's today is later): the page says what the county owes, and blocks nothing.
        (await page.Locator("#stage-warnings").InnerTextAsync()).ShouldContain("已过“县级认定与备案（报送四星级申请）”截止日期（2024年8月31日）：西吉县 2 所学校的评分表尚未备案");
        await page.GetByRole(AriaRole.Button, new() { Name = "备案（定稿）本县学校评分表" }).ClickAsync();
        await Assertions.Expect(page.Locator("#finalised")).ToContainTextAsync("已备案");
        (await page.Locator("#stage-warnings").InnerTextAsync()).ShouldNotContain("尚未备案");
        await page.Locator("#to-levels").ClickAsync();
        await ArriveAsync(page, u => u.Contains("/levels/2024", StringComparison.Ordinal), "to 认定与授牌");
        var row = page.Locator($"#decisions tr[data-school='{applicant}']");
        (await row.Locator("td.state").InnerTextAsync()).ShouldBe("申报四星级，待报送教育厅");
        await row.GetByRole(AriaRole.Button, new() { Name = "报送 西吉县实验小学 的申请" }).ClickAsync();
        await Assertions.Expect(page.Locator("#notice")).ToHaveTextAsync("已报送教育厅");
        (await page.Locator($"#decisions tr[data-school='{applicant}'] td.state").InnerTextAsync()).ShouldBe("待教育厅认定");
        await page.GetByLabel("授牌日期").FillAsync("2024-08-30");
        await page.GetByLabel("文号").FillAsync("西教发〔2024〕9号");
        await page.GetByRole(AriaRole.Button, new() { Name = "授牌" }).ClickAsync();
        await Assertions.Expect(page.Locator("#notice")).ToHaveTextAsync("已授牌 1 所：西吉县第二中学三星级");
        (await page.Locator($"#decisions tr[data-school='{kept}'] td.state").InnerTextAsync()).ShouldBe("已授牌：三星级（2024-08-30，西教发〔2024〕9号）");
        (await page.Locator("nav a[aria-current=page]").AllInnerTextsAsync()).ShouldBe(["认定与授牌"]);
        await ScreenshotAsync(page, "bureau-levels");
        await page.SetViewportSizeAsync(390, 844);
        await ScreenshotAsync(page, "bureau-levels-phone");

        // The department rates the forwarded school in its own column, then awards it from its list.
        await FillAsync(department, applicant, "department");
        var office = await site.NewPageAsync();
        await SignInAsync(office, "ting-wang");
        await office.Locator("nav a", new() { HasText = "认定与授牌" }).ClickAsync();
        await ArriveAsync(office, u => u.EndsWith("/levels/2024", StringComparison.Ordinal), "to 认定与授牌");
        // Its data leaves it at 86.5 points in the department's column too: the application does not pass, and the
        // department awards the level its column gives.
        (await office.Locator("#decisions tbody tr").AllInnerTextsAsync()).ShouldHaveSingleItem().ShouldContain("86.5 分\t教育厅（西吉县教育局马老师已报送）\t未定级\t待授牌：三星级",
            Case.Sensitive, "the region view lists what the department decides: the forwarded application");
        await office.GetByLabel("授牌日期").FillAsync("2024-09-10");
        await office.GetByRole(AriaRole.Button, new() { Name = "授牌" }).ClickAsync();
        await Assertions.Expect(office.Locator("#notice")).ToHaveTextAsync("已授牌 1 所：西吉县实验小学三星级");

        // A level from before this service: 西吉县第二中学 has held 三星级 since 2021, so 2024 is its third year without
        // moving up (第十四条). The department lowers it with its 文号.
        await office.Locator("#levels-file").SetInputFilesAsync(new FilePayload
        {
            Name = "既有星级.csv", MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes($"学校标识码,学校名称,星级,授牌年度,授牌日期,认定单位,文号\r\n{kept},西吉县第二中学,三星级,2021,2021-08-30,西吉县教育局,西教发〔2021〕3号\r\n"),
        });
        await office.GetByRole(AriaRole.Button, new() { Name = "导入" }).ClickAsync();
        await Assertions.Expect(office.Locator("#notice")).ToHaveTextAsync("既有星级已导入");
        var listed = office.Locator($"#demotions tr[data-school='{kept}']");
        (await listed.InnerTextAsync()).ShouldContain("2021年起未晋级");
        await listed.GetByLabel("决定").SelectOptionAsync("降低");
        await listed.GetByLabel("降低为").SelectOptionAsync("二星级");
        await listed.GetByLabel("日期").FillAsync("2024-10-10");
        await listed.GetByLabel("文号").FillAsync("宁教信〔2024〕30号");
        await ScreenshotAsync(office, "department-levels");
        await listed.GetByRole(AriaRole.Button, new() { Name = "调整 西吉县第二中学 的星级" }).ClickAsync();
        await Assertions.Expect(office.Locator("#notice")).ToHaveTextAsync("星级已调整");
        (await office.Locator($"#demotions tr[data-school='{kept}']").CountAsync()).ShouldBe(0);
        await office.SetViewportSizeAsync(390, 844);
        await ScreenshotAsync(office, "department-levels-phone");
        await office.SetViewportSizeAsync(1366, 768);

        // The department reopens the county with a reason: the sheets take entries again, and each keeps both states.
        await office.GotoAsync($"/counties/{xiji}/{Cycle}");
        await office.GetByLabel("重新开放的理由").FillAsync("复核西吉县第二中学的评定");
        await office.GetByRole(AriaRole.Button, new() { Name = "重新开放本县评分表" }).ClickAsync();
        await Assertions.Expect(office.Locator("#finalised")).ToHaveCountAsync(0);
        await office.GotoAsync($"/sheets/{Cycle}/{kept}");
        (await office.Locator("#stages").TextContentAsync() ?? string.Empty).ShouldContain("教育厅王处长 重新开放，理由：复核西吉县第二中学的评定");
        PolicyRefusals(office).ShouldBeEmpty();
    }

    /// <summary>Fills every line of a column still waiting (待填, 无法计算, 待现场确认) at its full points.</summary>
    private static async Task FillAsync(HttpClient api, string org, string column)
    {
        var sheet = await SheetAsync(api, org);
        foreach (var line in sheet.Lines.Where(l => l.Columns[column].Status is "pending" or "not_computable" or "unconfirmed"))
        {
            var body = line.Kind switch
            {
                "counts" => new EntryBody(line.Target, column, null, line.Counts.ToDictionary(c => c.Key, _ => 1), null, "现场核查"),
                "flag" => new EntryBody(line.Target, column, null, null, false, "现场核查"),
                _ => new EntryBody(line.Target, column, line.Points, null, null, "现场核查"),
            };
            var response = await api.PostAsJsonAsync($"/api/scoresheets/{Cycle}/{org}/entries", body);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
    }
}
