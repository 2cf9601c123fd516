using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Ingest.Application.People;
using Ingest.Host.Scoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Ingest.Host.Tests.Pages.BrowserSite;

namespace Ingest.Host.Tests.Pages;

/// <summary>The pages as people use them, in Chromium: rating staff, a school, an anonymous visitor, operations.</summary>
[Collection(BrowserSite.Collection)]
public sealed partial class PageScenarioTests(BrowserSite site) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>The scenario's browser windows are closed when it ends: an open one keeps drawing while the next runs.</summary>
    public Task DisposeAsync() => site.CloseContextsAsync();

    private static readonly string SheetPath = $"/sheets/{Cycle}/{School}";

    private static ILocator Cell(IPage page, string row, string column) =>
        page.Locator($"#totals tr:has(th:text-is(\"{row}\")) td[data-column=\"{column}\"]");

    [Fact]
    public async Task A_bureau_rater_enters_an_on_site_score_and_sees_the_area_total_the_total_and_the_level_change()
    {
        // Arrange through the API what a day of rating would leave: every line of the bureau column filled but item 1.
        using var api = await site.ApiAsync("bureau", County, "泾源县教育局李老师");
        var sheet = await SheetAsync(api, RatedSchool);
        var org = sheet.OrgCode;
        foreach (var line in sheet.Lines.Where(l => l.Target != "1" && l.Columns["bureau"].Status is "pending" or "not_computable"))
        {
            var body = line.Kind switch
            {
                "counts" => new EntryBody(line.Target, null, null, line.Counts.ToDictionary(c => c.Key, _ => 1), null, "现场核查"),
                "flag" => new EntryBody(line.Target, null, null, null, false, "现场核查"),
                _ => new EntryBody(line.Target, null, line.Points, null, null, "现场核查"),
            };
            var response = await api.PostAsJsonAsync($"/api/scoresheets/{Cycle}/{org}/entries", body);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        var page = await site.NewPageAsync();
        await SignInAsync(page, "jy-bureau");
        page.Url.ShouldEndWith($"/counties/{County}/{Cycle}", Case.Sensitive, "a bureau starts on its county");
        await page.GetByRole(AriaRole.Link, new() { Name = sheet.OrgName }).ClickAsync();
        await ArriveAsync(page, u => u.EndsWith($"/sheets/{Cycle}/{org}", StringComparison.Ordinal), "to the sheet");
        // A school's sheet is reached from the county's list: the menu says so, not 县（区）评分表.
        (await page.Locator("header.site nav a[aria-current=page]").InnerTextAsync()).ShouldBe("本县学校");

        // 21★, 25★, 46 and 48★ keep their pre-filled scores (where the data gives one) but wait for the rater's look on
        // site; one click confirms them.
        var unconfirmed = sheet.Lines.Count(l => l.Columns["bureau"].Status == "unconfirmed");
        unconfirmed.ShouldBeGreaterThan(0);
        (await page.Locator("tr[data-target='21'] td[data-column=bureau] .badge").InnerTextAsync()).ShouldBe("待现场确认");
        (await page.Locator("tr[data-target='21'] td.prefill").InnerTextAsync()).ShouldContain("待现场确认：能够根据用户角色及权限不同设置个性化的信息资源和应用服务");
        await page.Locator("#confirm-all button").ClickAsync();
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync($"已现场确认 {unconfirmed} 项");
        (await page.Locator("tr[data-target='21'] td[data-column=bureau] .badge").InnerTextAsync()).ShouldBe("已录入");
        (await page.Locator("#confirm-all").CountAsync()).ShouldBe(0);

        var areaRow = page.Locator("#totals tbody tr").First;
        var area = await areaRow.Locator("td[data-column=bureau]").InnerTextAsync();
        var total = await page.Locator("#totals td[data-column=bureau][data-total]").InnerTextAsync();
        var level = await page.Locator("#totals td[data-column=bureau][data-stars]").InnerTextAsync();
        level.ShouldContain("待填", Case.Sensitive, "one line still waits, so the level is provisional");

        var row = page.Locator("tr[data-target='1']");
        // The one line waiting is a keystroke away (a skip link at the top of the lines), and its controls name it.
        (await page.Locator("#first-waiting").GetAttributeAsync("href")).ShouldBe("#t-1");
        (await row.GetByRole(AriaRole.Button, new() { Name = "保存 指标 1", Exact = true }).CountAsync()).ShouldBe(1);
        (await row.GetByLabel("指标 1 理由").CountAsync()).ShouldBe(1);
        // Down the 66 lines the header of the columns stays in view.
        await page.Locator("tr[data-target='40']").ScrollIntoViewIfNeededAsync();
        (await page.EvaluateAsync<double>("() => document.querySelector('#lines thead th').getBoundingClientRect().top")).ShouldBeInRange(-1, 2);
        var url = page.Url;
        await row.Locator("td[data-column=bureau] input[name=score]").FillAsync("1");
        await row.Locator("td[data-column=bureau]").GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        var said = page.Locator("#line-status");
        await Assertions.Expect(said).ToHaveTextAsync("指标 1 已保存");

        // Saved in place: the page did not reload, and the line is where the rater left it, with the new score in it.
        page.Url.ShouldBe(url);
        (await page.EvaluateAsync<bool>("() => { const r = document.querySelector(\"tr[data-target='1']\").getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; }"))
            .ShouldBeTrue("the saved line stays in view");
        (await row.Locator("td[data-column=bureau] [data-score]").InnerTextAsync()).ShouldBe("1");
        Number(await areaRow.Locator("td[data-column=bureau]").InnerTextAsync()).ShouldBe(Number(area) + 1);
        Number(await page.Locator("#totals td[data-column=bureau][data-total]").InnerTextAsync()).ShouldBe(Number(total) + 1);
        var after = await page.Locator("#totals td[data-column=bureau][data-stars]").InnerTextAsync();
        after.ShouldNotBe(level);
        after.ShouldNotContain("待填");
        // The level it leads to: 85.5 lies between 80 and 90, 三星级; and ★19 (the cloud lists no theme MOOCs for this
        // school) is short of its points, which would bar a higher level anyway, and the cell says so.
        Number(await page.Locator("#totals td[data-column=bureau][data-total]").InnerTextAsync()).ShouldBe(85.5m);
        after.ShouldStartWith("三星级");
        after.ShouldContain("★19 未得满分");
        (await row.Locator("td[data-column=bureau]").InnerTextAsync()).ShouldContain("泾源县教育局李老师");
        await ScreenshotAsync(page, "bureau-enters-on-site-score");
    }

    [Fact]
    public async Task Overriding_a_prefilled_score_without_a_reason_shows_the_error_beside_the_field_and_saves_nothing()
    {
        using var api = await site.ApiAsync("bureau", County, "泾源县教育局李老师");
        var sheet = await SheetAsync(api, School);
        var auto = sheet.Lines.First(l => l.Auto is { Score: { } s } && s > 0 && l.Columns["bureau"].Status == "auto");
        var entries = (await api.GetFromJsonAsync<JsonElementArray>($"/api/scoresheets/{Cycle}/{School}/entries"))!.Length;

        // With script, the line answers in place; without it, the page reloads at its top with a summary of what was refused.
        foreach (var script in new[] { true, false })
        {
            var page = await site.NewPageAsync(script);
            await SignInAsync(page, "jy-bureau");
            await page.GotoAsync(SheetPath);
            var row = page.Locator($"tr[data-target='{auto.Target}']");
            var input = row.Locator("td[data-column=bureau] input[name=score]");
            await input.FillAsync("0");
            await row.Locator("td[data-column=bureau]").GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();

            var error = row.Locator("td[data-column=bureau] .error[role=alert]");
            await error.WaitForAsync();
            (await error.InnerTextAsync()).ShouldContain($"指标 {auto.Item}");
            (await error.InnerTextAsync()).ShouldContain("须填写理由");
            (await input.GetAttributeAsync("aria-invalid")).ShouldBe("true");
            (await input.InputValueAsync()).ShouldBe("0", "what was typed stays for correcting");
            var summary = page.Locator("#error-summary a");
            if (script)
            {
                page.Url.ShouldEndWith(SheetPath, Case.Sensitive, "saved in place, no reload");
                (await page.Locator("#line-status").InnerTextAsync()).ShouldContain("未保存");
                (await page.EvaluateAsync<string>("() => document.activeElement?.name")).ShouldBe("score", "the field to correct has the focus");
                await ScreenshotAsync(page, "override-without-reason-refused-in-place");
            }
            else
            {
                (await summary.InnerTextAsync()).ShouldBe(await error.InnerTextAsync());
                (await summary.GetAttributeAsync("href")).ShouldBe("#t-" + auto.Target.Replace('/', '-').Replace('.', '_'));
                await ScreenshotAsync(page, "override-without-reason-refused");
            }

            (await api.GetFromJsonAsync<JsonElementArray>($"/api/scoresheets/{Cycle}/{School}/entries"))!.Length.ShouldBe(entries, "nothing was saved");
            (await SheetAsync(api, School)).Lines.Single(l => l.Target == auto.Target).Columns["bureau"].Status.ShouldBe("auto");
        }
    }

    [Fact]
    public async Task A_school_sees_inputs_only_in_its_own_column_and_cannot_open_another_school()
    {
        var page = await site.NewPageAsync();
        await SignInAsync(page, "jy-school");
        page.Url.ShouldEndWith(SheetPath, Case.Sensitive, "a school starts on its own sheet");
        // Opening a sheet never writes it: one not pre-filled yet (no run and no rater has opened it) offers the button.
        var prefill = page.GetByRole(AriaRole.Button, new() { Name = "预填评分表" });
        if (await prefill.CountAsync() > 0)
        {
            (await HostFixture.ScalarAsync<long>(site.ConnectionString, $"SELECT count(*) FROM ingest.scoresheet WHERE org_code = '{School}' AND cycle = '{Cycle}'"))
                .ShouldBe(0, "the page offers to pre-fill only a sheet that does not exist");
            await prefill.ClickAsync();
            await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("评分表已预填");
            await page.WaitForLoadStateAsync(LoadState.Load);
        }


        (await page.Locator("td[data-column=self] form").CountAsync()).ShouldBeGreaterThan(0);
        (await page.Locator("td[data-column=bureau] form").CountAsync()).ShouldBe(0);
        (await page.Locator("td[data-column=department] form").CountAsync()).ShouldBe(0);
        (await page.Locator("#stars").CountAsync()).ShouldBe(1, "the school sets 申报星级 here");

        // 联系人 and 联系方式, as the 认定表 prints them, are set here too.
        await page.Locator("#person").FillAsync("马晓燕");
        await page.Locator("#phone").FillAsync("0954-5012345");
        await page.Locator("#contact-heading ~ form").GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.Locator("#notice")).ToHaveTextAsync("联系人与联系方式已保存");
        (await page.Locator("#person").InputValueAsync()).ShouldBe("马晓燕");
        (await page.Locator("#phone").InputValueAsync()).ShouldBe("0954-5012345");
        await ScreenshotAsync(page, "school-own-sheet");

        // Printed, the sheet keeps its tables and drops the navigation and the inputs.
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        (await page.Locator("header.site").IsVisibleAsync()).ShouldBeFalse();
        (await page.Locator("td[data-column=self] form").First.IsVisibleAsync()).ShouldBeFalse();
        (await page.Locator("#lines").IsVisibleAsync()).ShouldBeTrue();
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Screen });

        // At tablet width the page does not spill sideways: wide tables scroll within their own box.
        await page.SetViewportSizeAsync(768, 1024);
        (await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth")).ShouldBeTrue();
        await ScreenshotAsync(page, "school-own-sheet-tablet");
        // And on a phone (390 px), as a person checks it by eye from the screenshot.
        await page.SetViewportSizeAsync(390, 844);
        await ScreenshotAsync(page, "school-own-sheet-phone");
        // There the sheet shows the school's own column only, each line stacked, and its inputs lie within the screen.
        (await page.Locator("#lines td[data-column=self]").First.IsVisibleAsync()).ShouldBeTrue();
        (await page.Locator("#lines td[data-column=bureau]").First.IsVisibleAsync()).ShouldBeFalse();
        (await page.Locator("#totals td[data-column=department]").First.IsVisibleAsync()).ShouldBeFalse();
        var input = (await page.Locator("#lines td[data-column=self] input[name=score]").First.BoundingBoxAsync())!;
        (input.X + input.Width).ShouldBeLessThanOrEqualTo(390);
        (await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth")).ShouldBeTrue();
        await page.Locator("#lines tr[data-target='1']").ScrollIntoViewIfNeededAsync();
        await ScreenshotAsync(page, "school-own-sheet-phone-lines");

        var other = await page.GotoAsync($"/sheets/{Cycle}/{OtherSchool}");
        other!.Status.ShouldBe(403);
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("无权访问");
        // Refused inside the site: the menu is there to go on from, and the way back is the school's own sheet.
        (await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "本校评分表" }).CountAsync()).ShouldBe(1);
        (await page.Locator("main [role=alert]").InnerTextAsync()).ShouldContain("不能打开此页面");
        (await page.Locator("main a").GetAttributeAsync("href")).ShouldBe(SheetPath);
        await ScreenshotAsync(page, "school-refused-other-school");
        (await page.GotoAsync($"/counties/{County}/{Cycle}"))!.Status.ShouldBe(403);

        // What does not exist is a styled 404, in Chinese, and opening it creates nothing.
        foreach (var missing in new[] { $"/sheets/school:2099/{School}", "/sheets/school:2024/2164249999", "/nope" })
        {
            var answer = await page.GotoAsync(missing);
            answer!.Status.ShouldBe(404, missing);
            (await page.Locator("h1").InnerTextAsync()).ShouldBeOneOf("找不到此页面", "评分表");
            (await page.Locator("main").InnerTextAsync()).ShouldMatch(@"\p{IsCJKUnifiedIdeographs}", missing);
            (await page.Locator("header.site nav").CountAsync()).ShouldBe(1, "the menu stays");
        }

        (await page.Locator("main").InnerTextAsync()).ShouldContain("地址中的页面、年度或机构不存在");
        await ScreenshotAsync(page, "not-found");
        var api = await page.APIRequest.GetAsync("/api/nope");
        api.Status.ShouldBe(404);
        (await api.TextAsync()).ShouldContain("找不到此页面");
        api.Headers["content-type"].ShouldStartWith("application/problem+json");
        (await HostFixture.ScalarAsync<long>(site.ConnectionString, "SELECT count(*) FROM ingest.scoresheet WHERE cycle = 'school:2099'")).ShouldBe(0, "no page wrote a sheet of 2099");
    }

    [Fact]
    public async Task An_anonymous_visit_goes_to_sign_in_and_comes_back_after_it()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync($"/counties/{County}/{Cycle}");

        page.Url.ShouldContain("/signin?ReturnUrl=");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("登录");
        await ScreenshotAsync(page, "anonymous-to-sign-in");
        await page.GetByLabel("登录名").FillAsync("jy-bureau");
        await page.GetByLabel("密码").FillAsync("错误的口令-123");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        (await page.Locator("#signin-error").InnerTextAsync()).ShouldContain("登录名或密码不正确");
        await page.GetByLabel("密码").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await ArriveAsync(page, url => url.EndsWith($"/counties/{County}/{Cycle}", StringComparison.Ordinal), "back to the county");
        (await page.Locator("h1").InnerTextAsync()).ShouldContain("泾源县");
    }

    [Fact]
    public async Task Ops_starts_a_run_from_the_page_and_sees_its_units_appear_with_their_counts()
    {
        var page = await site.NewPageAsync();
        await SignInAsync(page, "ops-zhang");
        page.Url.ShouldEndWith("/ops/runs", Case.Sensitive, "ops starts on the runs");

        await page.GetByLabel("评定周期").SelectOptionAsync("county:2024");
        await page.GetByLabel("县（区）代码（空格或逗号分隔；留空为全区）").FillAsync(County);
        await page.GetByRole(AriaRole.Button, new() { Name = "开始采集" }).ClickAsync();
        await ArriveAsync(page, u => Regex.IsMatch(u, @"/ops/runs/\d+$"), "to the run");

        // The page refreshes itself while the run runs; wait until it says the run succeeded.
        await Assertions.Expect(page.Locator("#run-status")).ToHaveTextAsync("成功", new() { Timeout = 60_000 });
        var units = page.Locator("#units tbody tr");
        (await units.CountAsync()).ShouldBe(2, "the cloud connector over 640424 for calendar year 2024 and school year 2023-2024");
        foreach (var unit in await units.AllAsync())
        {
            var text = await unit.InnerTextAsync();
            text.ShouldContain("宁夏教育云");
            text.ShouldContain("成功");
            text.ShouldMatch(@"\d+ 页");
        }

        await ScreenshotAsync(page, "ops-started-run");
        await page.GotoAsync("/ops/runs");
        (await page.Locator("#runs tbody tr").First.InnerTextAsync()).ShouldContain("网页");
    }

    [Fact]
    public async Task The_department_sees_the_region_by_county_sorts_it_and_filters_a_county_list()
    {
        // A school applies for 四星级: until its bureau forwards it with the 备案, the department sees it apart from its own work list.
        using var school = await site.ApiAsync("school", School, "城关一小王老师");
        (await school.PutAsJsonAsync($"/api/scoresheets/{Cycle}/{School}/applied-stars", new { stars = 4 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await site.NewPageAsync();
        await SignInAsync(page, "ting-wang");
        page.Url.ShouldEndWith($"/region/{Cycle}", Case.Sensitive, "the department starts on the region");
        (await page.Locator("#awaiting tbody tr", new() { HasText = "泾源县城关第一小学" }).CountAsync()).ShouldBe(0);
        var awaiting = page.Locator("#unforwarded tbody tr", new() { HasText = "泾源县城关第一小学" });
        (await awaiting.InnerTextAsync()).ShouldContain("四星级");
        (await awaiting.Locator("a").GetAttributeAsync("href")).ShouldBe(SheetPath);

        var names = page.Locator("#counties tbody tr th a");
        (await names.AllInnerTextsAsync()).ShouldBe(["西吉县", "泾源县"], "the directory's counties in code order (640422, 640424)");
        var schools = page.Locator("#counties thead th", new() { HasText = "学校" }).First;
        await schools.ClickAsync();
        await schools.ClickAsync();
        (await page.Locator("#counties tbody tr td:nth-child(2)").AllInnerTextsAsync()).Select(int.Parse).ShouldBeInOrder(SortDirection.Descending);

        await names.Filter(new() { HasText = "泾源县" }).ClickAsync();
        await ArriveAsync(page, u => u.EndsWith($"/counties/{County}/{Cycle}", StringComparison.Ordinal), "to the county");
        await page.GetByLabel("学校名称或代码").FillAsync("城关");
        var visible = page.Locator("#schools tbody tr:not([hidden])");
        (await visible.CountAsync()).ShouldBe(1);
        (await visible.First.InnerTextAsync()).ShouldContain("泾源县城关第一小学");
        (await page.Locator("#filter-count").InnerTextAsync()).ShouldMatch(@"显示 1 / \d+");
        // The sorting and filtering above ran from /assets/table.js and the page is styled from /assets/site.css, under a
        // policy that refuses inline script and style: the browser refused nothing.
        (await page.Locator("header.site").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor")).ShouldBe("rgb(11, 61, 110)");
        PolicyRefusals(page).ShouldBeEmpty();
        await ScreenshotAsync(page, "department-county-filtered");

        // The counties' own sheets (the 100-point standard) are one menu entry away, and the menu says where the department is.
        await page.Locator("nav a", new() { HasText = "县（区）评分表" }).ClickAsync();
        await ArriveAsync(page, u => u.EndsWith("/region/county:2024", StringComparison.Ordinal), "to the counties' sheets");
        (await page.Locator("#county-sheets tbody th a").AllInnerTextsAsync()).ShouldBe(["西吉县", "泾源县"]);
        await ScreenshotAsync(page, "department-county-sheets");
        await page.SetViewportSizeAsync(390, 844);
        await ScreenshotAsync(page, "department-county-sheets-phone");
        await page.SetViewportSizeAsync(1366, 768);
        await page.Locator("#county-sheets tbody th a", new() { HasText = "泾源县" }).ClickAsync();
        await ArriveAsync(page, u => u.EndsWith($"/sheets/county:2024/{County}", StringComparison.Ordinal), "to the county's sheet");
        (await page.Locator("nav a[aria-current=page]").AllInnerTextsAsync()).ShouldBe(["县（区）评分表"]);

        // The cultivation roster of the year, from the menu: a file with a wrong line is refused whole and the line named;
        // the corrected file is taken and the county's 培育对象 listed with their 批复.
        await page.Locator("nav a", new() { HasText = "培育名单" }).ClickAsync();
        await ArriveAsync(page, u => u.EndsWith("/roster/2024", StringComparison.Ordinal), "to the roster");
        const string header = "学校标识码,学校名称,类别,批复文号,批复日期\r\n";
        await page.Locator("#roster-file").SetInputFilesAsync(new FilePayload
        {
            Name = "泾源县培育名单.csv", MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes(header + $"{School},,自治区培育对象,宁教信〔2024〕8号,2024-03-10\r\n{OtherSchool},,培育,,\r\n"),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "导入" }).ClickAsync();
        (await page.Locator("#refused").InnerTextAsync()).ShouldContain("第 3 行：类别“培育”无法识别");
        (await page.Locator("table.roster").CountAsync()).ShouldBe(0, "nothing of the refused file is kept");
        await page.Locator("#roster-file").SetInputFilesAsync(new FilePayload
        {
            Name = "泾源县培育名单.csv", MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes(header + $"{School},,自治区培育对象,宁教信〔2024〕8号,2024-03-10\r\n{OtherSchool},,县级培育学校,,\r\n"),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "导入" }).ClickAsync();
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("培育名单已导入：2 所学校");
        (await page.Locator($"tr[data-school='{School}']").InnerTextAsync()).ShouldContain("宁教信〔2024〕8号");
        (await page.Locator($"#c-{County}").InnerTextAsync()).ShouldContain("自治区培育对象 1 所");
        (await page.Locator("nav a[aria-current=page]").AllInnerTextsAsync()).ShouldBe(["培育名单"]);
        await ScreenshotAsync(page, "department-roster");
        await page.SetViewportSizeAsync(390, 844);
        await ScreenshotAsync(page, "department-roster-phone");
    }

    [Fact]
    public async Task A_bureau_downloads_the_forms_of_its_county_from_the_county_page_as_one_zip()
    {
        var page = await site.NewPageAsync();
        await SignInAsync(page, "jy-bureau");
        page.Url.ShouldEndWith($"/counties/{County}/{Cycle}");

        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "全部学校的教育局评定填报表（zip）" }).ClickAsync());

        download.SuggestedFilename.ShouldEndWith("教育局评定填报表.zip");
        (await download.FailureAsync()).ShouldBeNull();
        var path = await download.PathAsync();
        using var archive = System.IO.Compression.ZipFile.OpenRead(path);
        archive.Entries.Count.ShouldBeGreaterThan(0);
        archive.Entries.ShouldAllBe(e => e.FullName.EndsWith("教育局评定填报表.xlsx", StringComparison.Ordinal) && e.Length > 0);
    }

    [Fact]
    public async Task A_filled_workbook_uploaded_on_the_page_is_refused_row_by_row_or_taken_whole()
    {
        var page = await site.NewPageAsync();
        await SignInAsync(page, "jy-bureau");
        await page.GotoAsync($"/sheets/{Cycle}/{OtherSchool}");

        // The workbook of the bureau's column, downloaded from the page as a rater would.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#fill-download").ClickAsync());
        download.SuggestedFilename.ShouldEndWith("教育局评定填报表.xlsx");
        var form = await File.ReadAllBytesAsync((await download.PathAsync())!);
        using var api = await site.ApiAsync("bureau", County, "泾源县教育局李老师");
        var before = (await api.GetFromJsonAsync<JsonElementArray>($"/api/scoresheets/{Cycle}/{OtherSchool}/entries"))!.Length;

        var bad = global::Ingest.Host.Tests.Scoring.FormFiller.Fill(form, [("1", "填写", "1"), ("22", "填写", "2.3"), ("10", "填写", "0,5")]);
        await page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "泾源一中-教育局.xlsx", MimeType = "application/octet-stream", Buffer = bad });
        await page.GetByRole(AriaRole.Button, new() { Name = "导入" }).ClickAsync();
        var errors = page.Locator("#import-errors");
        await errors.WaitForAsync();
        var text = await errors.InnerTextAsync();
        text.ShouldContain("泾源一中-教育局.xlsx 未导入");
        text.ShouldContain("指标 22：得分 2.3 不在 0～3 分之间或不是 0.5 分的整数倍");
        text.ShouldContain("得分“0,5”含逗号");
        (await page.Locator("#import-errors li").CountAsync()).ShouldBe(2);
        (await api.GetFromJsonAsync<JsonElementArray>($"/api/scoresheets/{Cycle}/{OtherSchool}/entries"))!.Length.ShouldBe(before, "the good row 1 is not kept either");
        await ScreenshotAsync(page, "upload-refused");

        var good = global::Ingest.Host.Tests.Scoring.FormFiller.Fill(form, [("1", "填写", "1"), ("22", "填写", "2.5")]);
        await page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "泾源一中-教育局.xlsx", MimeType = "application/octet-stream", Buffer = good });
        await page.GetByRole(AriaRole.Button, new() { Name = "导入" }).ClickAsync();
        await page.Locator("#notice").WaitForAsync();
        (await page.Locator("#notice").InnerTextAsync()).ShouldStartWith("填报表已导入：录入 2 项");
        (await page.Locator("tr[data-target='22'] td[data-column=bureau] [data-score]").InnerTextAsync()).ShouldBe("2.5");
    }

    [Fact]
    public async Task A_bureau_uploads_a_claims_file_on_the_page_sees_each_refused_row_then_the_report()
    {
        var page = await site.NewPageAsync();
        await SignInAsync(page, "jy-bureau");
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "自评核查" }).ClickAsync();
        await ArriveAsync(page, u => u.EndsWith($"/audit/claims/{Cycle}/{County}", StringComparison.Ordinal), "to the claims report");
        var before = int.Parse(await page.Locator("#with-claims").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);

        const string header = "学校标识码,序号,自评得分,自评数据\r\n";
        await page.Locator("#file").SetInputFilesAsync(new FilePayload
        {
            Name = "有错.csv", MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes(header + $"{School},22,2.5,\r\n{School},99,1,\r\n2164220001,1,1,\r\n"),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "导入" }).ClickAsync();
        await page.Locator("#import-errors").WaitForAsync();
        (await page.Locator("#import-errors li").AllInnerTextsAsync()).ShouldBe(
        [
            "第 3 行“序号”列：“99”不是宁夏中小学“互联网+教育”智慧校园认定标准的序号（分项写作 16.1、16.2……）",
            "第 4 行“学校标识码”列：2164220001 不在本账号的范围内：学校只能为本校、教育局只能为本县（区）的学校导入自评",
        ]);
        (await page.Locator("#with-claims").InnerTextAsync()).ShouldBe(before.ToString(System.Globalization.CultureInfo.InvariantCulture), "nothing of a refused file is kept");
        await ScreenshotAsync(page, "claims-refused");

        await page.Locator("#file").SetInputFilesAsync(new FilePayload
        {
            Name = "泾源县自评.csv", MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes(header + $"{OtherSchool},22,2.5,\r\n{OtherSchool},1,1,\r\n"),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "导入" }).ClickAsync();
        await page.Locator("#notice").WaitForAsync();
        (await page.Locator("#notice").InnerTextAsync()).ShouldBe("已导入 泾源县自评.csv");
        (await page.Locator("#with-claims").InnerTextAsync()).ShouldBe((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await page.Locator($"#school-{OtherSchool} h3").InnerTextAsync()).ShouldContain("泾源县第一中学");
        await ScreenshotAsync(page, "claims-report");
    }

    [Fact]
    public async Task An_auditor_follows_a_claim_from_the_county_report_down_to_the_upstreams_own_answer()
    {
        // 泾源县泾河源镇中心学校 claims ★19 at its full 3 points with 25 theme MOOCs; the Education Cloud lists none for it.
        var imported = await site.Host.App.Services.GetRequiredService<Ingest.Application.Claims.ClaimsService>().ImportAsync(Caller.CommandLine("测试"),
            System.Text.Encoding.UTF8.GetBytes($"学校标识码,序号,自评得分,自评数据\r\n{RatedSchool},19,3,25\r\n"), "中心学校自评.csv",
            Core.Periods.EvaluationCycle.Parse(Cycle), CancellationToken.None);
        imported.Refusal.ShouldBeNull();
        var page = await site.NewPageAsync();
        await SignInAsync(page, "jy-audit");
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "自评核查" }).ClickAsync();
        await ArriveAsync(page, u => u.EndsWith($"/audit/claims/{Cycle}/{County}", StringComparison.Ordinal), "to the claims report");
        // The report names the one run its facts came from, and no other.
        (await page.Locator("#basis .run-used").AllInnerTextsAsync()).ShouldHaveSingleItem().ShouldStartWith("1（");
        await page.Locator($"#school-{RatedSchool} h3 a").First.ClickAsync();
        await ArriveAsync(page, u => u.EndsWith($"/audit/claims/{Cycle}/school/{RatedSchool}", StringComparison.Ordinal), "to the school's claims");

        var line = page.Locator("#line-19");
        (await line.GetAttributeAsync("data-verdict")).ShouldBe("高于数据");
        (await line.InnerTextAsync()).ShouldContain("按数据 0 分，超出 3 分");
        await ScreenshotAsync(page, "claims-school");
        await line.Locator("a.trace").First.ClickAsync();
        await ArriveAsync(page, u => u.Contains("/audit/evidence?", StringComparison.Ordinal), "to the evidence");
        (await page.Locator("h1").InnerTextAsync()).ShouldContain("主题优质慕课数");
        (await page.Locator("section.version").First.InnerTextAsync()).ShouldContain("含 " + RatedSchool + " 的数据行");
        await ScreenshotAsync(page, "evidence");
        await page.Locator("a.raw-link").First.ClickAsync();
        await ArriveAsync(page, u => u.Contains("/audit/raw/", StringComparison.Ordinal), "to the raw answer");
        (await page.Locator("#request").InnerTextAsync()).ShouldContain("/api/v1/stats/school-content");
        (await page.Locator("#raw mark").AllInnerTextsAsync()).ShouldContain(t => t.Contains(RatedSchool));
        await ScreenshotAsync(page, "raw-answer");
    }

    private static decimal Number(string text) => decimal.Parse(FirstNumber().Match(text).Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\d+(\.\d+)?")]
    private static partial Regex FirstNumber();
}

/// <summary>An API list read only for its length.</summary>
internal sealed class JsonElementArray : List<System.Text.Json.JsonElement>
{
    public int Length => Count;
}
