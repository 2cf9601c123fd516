using System.Net.Http.Json;
using System.Text.Json;
using Ingest.Application.Ingestion;
using Ingest.Core.Facts;
using Ingest.Core.Periods;
using Ingest.Data.Facts;
using Ingest.Data.Runs;
using Ingest.Host.Tests.Scoring;
using Ingest.Host.Tests.Uploads;
using Ingest.Scoring.Rubrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;
using static Ingest.Host.Tests.Pages.BrowserSite;

namespace Ingest.Host.Tests.Pages;

public sealed partial class PageScenarioTests
{
    /// <summary>
    /// From scores to action in the browser: the school puts its award certificate behind item 30, the bureau sees it while
    /// rating and sets 整改 items, the school answers, the bureau verifies; a data line passes after a run; the county's
    /// workbook lists what is overdue; the bulletin's author fills every 【待填】 on the page and takes the final Word file.
    /// </summary>
    [Fact]
    public async Task A_school_puts_evidence_behind_an_item_the_bureau_rates_with_it_sets_and_closes_remediation_and_writes_the_bulletin()
    {
        // The school uploads a certificate behind item 30 from its own sheet.
        var school = await site.NewPageAsync();
        await SignInAsync(school, "jy-school");
        // Whichever scenario comes first pre-fills the school's sheet from its page.
        var prefill = school.GetByRole(AriaRole.Button, new() { Name = "预填评分表" });
        if (await prefill.CountAsync() > 0)
        {
            await prefill.ClickAsync();
            await school.Locator("tr[data-target='30']").WaitForAsync();
        }

        var line30 = school.Locator("tr[data-target='30']");
        await line30.GetByRole(AriaRole.Link, new() { Name = "指标 30 的佐证材料" }).ClickAsync();
        await ArriveAsync(school, u => u.EndsWith($"/sheets/{Cycle}/{School}/files/30", StringComparison.Ordinal), "to item 30's evidence");
        await school.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "自治区优质课获奖证书.png", MimeType = "image/png", Buffer = EvidenceFiles.Png(240, 160) });
        await school.GetByRole(AriaRole.Button, new() { Name = "上传", Exact = true }).ClickAsync();
        await Assertions.Expect(school.Locator("#notice")).ToHaveTextAsync("自治区优质课获奖证书.png 已上传");
        await school.SetViewportSizeAsync(390, 844);
        await ScreenshotAsync(school, "school-evidence-phone");
        // A program renamed as a picture is refused with why, and nothing is kept.
        await school.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "证书.png", MimeType = "image/png", Buffer = [0x4D, 0x5A, 0x90, 0, 3, 0] });
        await school.GetByRole(AriaRole.Button, new() { Name = "上传", Exact = true }).ClickAsync();
        await Assertions.Expect(school.Locator("#errors")).ToContainTextAsync("证书.png：是可执行程序或脚本");
        (await school.Locator("#files li").CountAsync()).ShouldBe(1);

        // The bureau rates item 30 with the certificate in view beside it.
        var bureau = await site.NewPageAsync();
        await SignInAsync(bureau, "jy-bureau");
        await bureau.GotoAsync($"/sheets/{Cycle}/{School}");
        var rated = bureau.Locator("tr[data-target='30']");
        await Assertions.Expect(rated.Locator(".evidence img")).ToHaveAttributeAsync("alt", "自治区优质课获奖证书.png");
        // Loaded when the line comes into view (lazily, on a long sheet), and shown: not a broken link.
        await rated.ScrollIntoViewIfNeededAsync();
        await bureau.WaitForFunctionAsync("() => document.querySelector(\"tr[data-target='30'] .evidence img\")?.complete === true");
        (await rated.Locator(".evidence img").EvaluateAsync<int>("img => img.naturalWidth")).ShouldBe(240, "the picture is shown, not a broken link");
        await rated.Locator("td[data-column=bureau] input[name='counts[awards]']").FillAsync("2");
        await rated.Locator("td[data-column=bureau]").GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(rated.Locator("td[data-column=bureau] [data-score]")).ToHaveTextAsync("1");
        await ScreenshotAsync(bureau, "bureau-rates-with-evidence");

        // From the sheet to its gap plan: item 30 and a line the data scores below full points become 整改 items.
        await bureau.Locator("#remediation-link").ClickAsync();
        await ArriveAsync(bureau, u => u.EndsWith($"/remediation/{Cycle}/{School}", StringComparison.Ordinal), "to the gap plan");
        (await bureau.Locator("#plan-lines tr[data-item='30'] td").Nth(2).InnerTextAsync()).ShouldBe("+4");
        using var api = await site.ApiAsync("bureau", County, "泾源县教育局李老师");
        var plan = (await api.GetFromJsonAsync<JsonElement>($"/api/remediation/{Cycle}/schools/{School}")).GetProperty("plan");
        // A line the data scores below full points, or cannot score yet (the progress system is not read here).
        var dataLines = plan.GetProperty("lines").EnumerateArray().Concat(plan.GetProperty("waiting").EnumerateArray())
            .Select(l => (Item: l.GetProperty("item").GetString()!, Target: l.GetProperty("target").GetString()!))
            .Where(l => RubricLibrary.Default(RubricKind.School).FindTarget(l.Target) is { IsAuto: true }).ToArray();
        var (data, dataKey) = dataLines.FirstOrDefault(l => RubricLibrary.Default(RubricKind.School).FindTarget(l.Target) is { Rule: ThresholdRule or BandsRule { Input: FactInput } });
        data.ShouldNotBeNull($"a line the data scores below full points for the school; the plan: {plan}");
        foreach (var item in new[] { "30", data })
        {
            await bureau.Locator($"tr[data-item='{item}']").GetByRole(AriaRole.Button, new() { Name = "设为整改项" }).ClickAsync();
            await Assertions.Expect(bureau.Locator("#notice")).ToContainTextAsync($"已设立整改项：指标 {item}");
        }

        // The school answers item 30 with a note and a file; the bureau verifies it.
        await school.SetViewportSizeAsync(1366, 768);
        await school.GetByRole(AriaRole.Link, new() { Name = "本校整改" }).ClickAsync();
        var mine = school.Locator("article[data-status='待整改']", new() { HasText = "指标 30" });
        await mine.GetByLabel("整改情况说明").FillAsync("补交2023年自治区级优质课获奖证书2项");
        await mine.GetByLabel("整改材料（可选：PDF、图片、.docx、.xlsx）").SetInputFilesAsync(new FilePayload { Name = "获奖证书.pdf", MimeType = "application/pdf", Buffer = EvidenceFiles.Pdf() });
        await mine.GetByRole(AriaRole.Button, new() { Name = "提交整改" }).ClickAsync();
        await Assertions.Expect(school.Locator("#notice")).ToHaveTextAsync("指标 30 的整改已提交，待教育局核实");
        await bureau.ReloadAsync();
        var submitted = bureau.Locator("article[data-status='已提交']", new() { HasText = "指标 30" });
        (await submitted.InnerTextAsync()).ShouldContain("获奖证书.pdf");
        await submitted.GetByLabel("核实意见（退回时必填）").FillAsync("证书真实有效");
        await submitted.GetByRole(AriaRole.Button, new() { Name = "核实通过" }).ClickAsync();
        await Assertions.Expect(bureau.Locator("#notice")).ToHaveTextAsync("指标 30 的整改已核实");

        // A later run reads the data line's figure above its threshold: the item says so, and still waits for the bureau.
        var services = site.Host.App.Services;
        var target = RubricLibrary.Default(RubricKind.School).FindTarget(dataKey)!;
        var (input, passing) = target.Rule switch
        {
            ThresholdRule r => (r.Input, r.Min),
            BandsRule { Input: FactInput f } r => (f, r.Bands[0].Min),
            _ => throw new InvalidOperationException(target.Rule.Kind),
        };
        var next = CyclePeriods.DefaultFor(EvaluationCycle.Parse(Cycle) with { Year = 2025 });
        var period = input.Period == PeriodRole.CalendarYear ? next.CalendarYear : next.SchoolYear;
        var source = input.Indicator.Split('.')[0];
        var fact = input.Measure == Measure.Ratio
            ? IndicatorFact.Ratio(School, input.Indicator, period, source, passing * 1000, 1000)
            : new IndicatorFact(School, input.Indicator, period.Code, source, passing);
        var run = await services.GetRequiredService<RunStore>().CreateRunAsync(
            new RunRequest("test", "school:2025", [period.Code], [County], ["cloud"], "test", null), CancellationToken.None);
        await using (var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await FactStore.WriteAsync(connection, tx, [fact], run, services.GetRequiredService<TimeProvider>().GetUtcNow(), CancellationToken.None);
            await tx.CommitAsync();
        }

        await services.GetRequiredService<RunFinisher>().FinishAsync(run);
        await bureau.ReloadAsync();
        var met = bureau.Locator("article", new() { HasText = $"指标 {data}" });
        (await met.Locator("[data-met]").InnerTextAsync()).ShouldStartWith($"数据已达标：采集批次 {run}");
        (await met.GetAttributeAsync("data-status")).ShouldBe("待整改");
        await ScreenshotAsync(bureau, "bureau-remediation");

        // Time passes: the data item's deadline is behind it. The county's list and workbook name it as overdue.
        await HostFixture.ScalarAsync<int>(site.ConnectionString,
            $"UPDATE ingest.remediation_item SET deadline = current_date - 2 WHERE org_code = '{School}' AND target = '{target.Key}' RETURNING 1");
        await bureau.GetByRole(AriaRole.Link, new() { Name = "整改", Exact = true }).ClickAsync();
        await ArriveAsync(bureau, u => u.EndsWith($"/remediation/{Cycle}/counties/{County}", StringComparison.Ordinal), "to the county's list");
        (await bureau.Locator("#overdue-list li").AllInnerTextsAsync()).ShouldHaveSingleItem().ShouldContain($"泾源县城关第一小学 指标 {data}");
        var workbook = await bureau.RunAndWaitForDownloadAsync(() => bureau.GetByRole(AriaRole.Link, new() { Name = "下载整改清单（Excel）" }).ClickAsync());
        var overdue = Ingest.Documents.Forms.Xlsx.Read(File.OpenRead((await workbook.PathAsync())!), "逾期")!;
        (overdue[(2, 3)], overdue[(2, 8)]).ShouldBe((data, "逾期"));
        await bureau.SetViewportSizeAsync(390, 844);
        await ScreenshotAsync(bureau, "bureau-remediation-county-phone");

        // The bulletin: every 【待填】 filled on the page, then the final Word file, which LibreOffice opens.
        await bureau.SetViewportSizeAsync(1366, 768);
        await bureau.GetByRole(AriaRole.Link, new() { Name = "通报" }).ClickAsync();
        await ArriveAsync(bureau, u => u.EndsWith($"/bulletins/{Cycle}/{County}", StringComparison.Ordinal), "to the bulletin");
        (await bureau.Locator("#final-docx").CountAsync()).ShouldBe(0, "no final bulletin while a hole waits");
        var holes = bureau.Locator("textarea[data-hole]");
        for (var i = 0; i < await holes.CountAsync(); i++)
        {
            var hole = holes.Nth(i);
            var key = await hole.GetAttributeAsync("data-hole");
            await hole.FillAsync(key switch
            {
                "basis" => "自治区教育厅《宁夏中小学“互联网+教育”智慧校园建设管理办法》（宁教发〔2022〕33号）",
                "dates" => "8月28日至9月1日",
                "team" => "县人民政府教育督导委员会办公室、教育体育局信息中心及抽调学校专业人员",
                "methods" => "实地查看、档案建设、网上调研、谈话询问",
                _ => "学校信息化基础设施设备完善，能积极开展“三个课堂”常态化按需应用。",
            });
        }

        await bureau.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(bureau.Locator("#notice")).ToHaveTextAsync("已保存：没有待填项，可以导出定稿");
        await ScreenshotAsync(bureau, "bureau-bulletin");
        var final = await bureau.RunAndWaitForDownloadAsync(() => bureau.Locator("#final-docx").ClickAsync());
        var word = await File.ReadAllBytesAsync((await final.PathAsync())!);
        var text = BulletinTests.Text(word);
        text.ShouldNotContain("【待填");
        text.ShouldContain("泾源县城关第一小学");
        await BulletinTests.OpensInLibreOfficeAsync(word, "泾源县督导评估通报（页面）");
        PolicyRefusals(bureau).ShouldBeEmpty();
        PolicyRefusals(school).ShouldBeEmpty();
    }
}
