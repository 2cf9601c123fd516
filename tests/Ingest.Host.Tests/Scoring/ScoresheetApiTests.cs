using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ingest.Application.Rating;
using Ingest.Core.Facts;
using Ingest.Core.Organisations;
using Ingest.Data.Facts;
using Ingest.Data.Organisations;
using Ingest.Data.Runs;
using Ingest.Host.Scoring;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;
using Ingest.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ingest.Host.Tests.Scoring;

/// <summary>Scoresheets over real PostgreSQL and HTTP: pre-filled from stored facts, filled by staff, re-scored after a run.</summary>
[RunsLong]
public class ScoresheetApiTests
{
    private const string School = "2164240001";
    private const string Sheet = "/api/scoresheets/school:2024/" + School;
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>School cycle 2024 reads calendar year 2023, school year 2023-2024: every auto item at full points.</summary>
    internal static IndicatorFact[] FullFacts(decimal appIndexPoints = 12000) =>
    [
        new(School, "progress.interactive_classrooms", "2023-2024", "progress", 2),
        IndicatorFact.Ratio(School, "cloud.resources_uploaded_per_teacher", Core.Periods.Period.SchoolYear(2023), "cloud", 500, 40),
        IndicatorFact.Ratio(School, "cloud.resources_shared_per_teacher", Core.Periods.Period.SchoolYear(2023), "cloud", 240, 40),
        IndicatorFact.Ratio(School, "cloud.kp_microlecture_coverage", Core.Periods.Period.SchoolYear(2023), "cloud", 30, 100),
        new(School, "cloud.theme_moocs", "2023-2024", "cloud", 243),
        new(School, "cloud.family_education_lessons", "2023-2024", "cloud", 4),
        new(School, "cloud.portal_opened", "2023-2024", "cloud", 1),
        IndicatorFact.Ratio(School, "cloud.app_index", Core.Periods.Period.CalendarYear(2023), "cloud", appIndexPoints, 40),
        new(School, "progress.online_lessons_per_week", "2023-2024", "progress", 6.06m),
        IndicatorFact.Ratio(School, "cloud.student_space_active_rate", Core.Periods.Period.SchoolYear(2023), "cloud", 700, 1000),
        IndicatorFact.Ratio(School, "cloud.literacy_excellent_rate", Core.Periods.Period.CalendarYear(2023), "cloud", 20, 40),
        Region("cloud.app_index", "2023", 2_000_000, 10_000),
        Region("cloud.literacy_excellent_rate", "2023", 3000, 10_000),
    ];

    private static IndicatorFact Region(string indicator, string period, decimal numerator, decimal denominator) =>
        new(Organisation.RegionCode, indicator, period, "cloud", numerator / denominator, numerator, denominator, null,
            """{"counties": 1, "countiesInDirectory": 1, "countiesUnknown": 0}""");

    [Fact]
    public async Task School_scoresheet_is_prefilled_filled_by_staff_and_rescored_keeping_entries()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host, FullFacts());
        using var http = await HostFixture.ClientAsAsync(host, "bureau", "640424", "李老师");
        using var expert = await HostFixture.ClientAsAsync(host, "bureau", "640424", "王专家");

        // Pre-filled: the auto items with their figures, everything else waiting.
        var sheet = await GetAsync(http, Sheet);
        sheet.Rubric.ShouldBe(RubricLibrary.School2022);
        sheet.Periods.ShouldBe(new PeriodsView("2023", "2023-2024", "2024-06-30"));
        var item23 = sheet.Lines.Single(l => l.Target == "23");
        item23.Auto!.Score.ShouldBe(2);
        item23.Auto.Summary.ShouldBe("应用指数 300 分/人，高于全区 200 分/人");
        item23.Auto.Evidence.Select(e => (e.OrgCode, e.Period, e.Source)).ShouldBe([(School, "2023", "cloud"), ("640000", "2023", "cloud")]);
        item23.Columns["bureau"].Status.ShouldBe("auto");
        sheet.Lines.Single(l => l.Target == "1").Columns["bureau"].Status.ShouldBe("pending");
        var bureau = sheet.Columns.Single(c => c.Column == "bureau");
        bureau.Total.ShouldBe(20); // 4, 16 (uploads 1 + shared 2), 17, 19, 20, 21, 23, 25, 46, 48 at full points
        bureau.Stars!.Provisional.ShouldBeTrue();

        // Staff fill the on-site items so that the total is 94.5 (bulletin case): 4 stars.
        foreach (var body in BulletinEntries(sheet))
        {
            var response = await http.PostAsJsonAsync(Sheet + "/entries", body);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        sheet = await GetAsync(http, Sheet);
        bureau = sheet.Columns.Single(c => c.Column == "bureau");
        bureau.Total.ShouldBe(94.5m);
        bureau.Stars!.Stars.ShouldBe(4);
        bureau.Stars.Provisional.ShouldBeFalse();
        sheet.Columns.Single(c => c.Column == "self").Total.ShouldBe(20, "the self-assessment column is kept apart");

        // A new run lowers the application index to the region's: item 23 (★) is 0, the level 3 stars naming it.
        await SeedAsync(host, FullFacts(appIndexPoints: 8000));
        var rescored = await host.App.Services.GetRequiredService<ScoresheetPrefill>().RescoreAfterRunAsync(0, ["2023"], CancellationToken.None);
        rescored.ShouldBe(1);
        (await HostFixture.ScalarAsync<string>(cs, "SELECT actor || ' ' || subject || ' ' || new_value::text FROM ingest.audit_event WHERE action = 'sheet.rescore'"))
            .ShouldBe("""系统 run 0 {"to": "2164240001", "from": "2164240001", "lines": 1, "detail": {"periods": ["2023"]}, "sheets": 1, "created": 0}""",
                "only item 23 reads the application index: one line is rewritten");
        sheet = await GetAsync(http, Sheet);
        bureau = sheet.Columns.Single(c => c.Column == "bureau");
        bureau.Total.ShouldBe(92.5m);
        bureau.Stars!.Stars.ShouldBe(3);
        bureau.Stars.UnmetVetoItems.ShouldBe(["23"]);
        sheet.Lines.Single(l => l.Target == "1").Columns["bureau"].Entry!.By.ShouldBe("李老师", "entries survive a re-score");

        // Overriding an auto score needs a written reason; the log keeps who, old and new.
        var refused = await expert.PostAsJsonAsync(Sheet + "/entries", new EntryBody("19", "bureau", 0, null, null, null, "王专家"));
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("指标 19：自动得分为 3，改写为 0 须填写理由");
        var taken = await expert.PostAsJsonAsync(Sheet + "/entries", new EntryBody("19", "bureau", 0, null, null, "慕课为外校资源", "冒名者"));
        taken.StatusCode.ShouldBe(HttpStatusCode.OK);
        var log = (await http.GetFromJsonAsync<EntryLogView[]>(Sheet + "/entries", Json))!;
        var last = log[^1];
        (last.Target, last.Column, last.By, last.OldScore, last.NewScore, last.AutoScore, last.Reason).ShouldBe(("19", "bureau", "王专家", 3m, 0m, 3m, "慕课为外校资源"));
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.scoresheet_entry")).ShouldBe(log.Length);
    }

    [Fact]
    public async Task Entries_are_withdrawn_with_a_reason_and_repeating_a_value_records_nothing()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host, FullFacts());
        using var http = await HostFixture.ClientAsAsync(host, "bureau", "640424", "王专家");

        // Confirming the pre-filled 3 of item 19 needs no reason; saying it again records nothing.
        (await http.PostAsJsonAsync(Sheet + "/entries", new EntryBody("19", "bureau", 3, null, null, null, "王专家"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.PostAsJsonAsync(Sheet + "/entries", new EntryBody("19", "bureau", 3, null, null, null, "王专家"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.PostAsJsonAsync(Sheet + "/entries", new EntryBody("22", "bureau", 2.5m, null, null, null, "王专家"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.PostAsJsonAsync(Sheet + "/entries", new EntryBody("22", "bureau", 2.5m, null, null, null, "王专家"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.scoresheet_entry")).ShouldBe(2);

        // A withdrawal without a reason, or of a line without an entry, is refused; with one, 22 waits again.
        var noReason = await http.PostAsJsonAsync(Sheet + "/entries", new EntryBody("22", "bureau", null, null, null, null, "王专家", Withdraw: true));
        (await noReason.Content.ReadAsStringAsync()).ShouldContain("指标 22：撤回录入须填写理由");
        var nothing = await http.PostAsJsonAsync(Sheet + "/entries", new EntryBody("1", "bureau", null, null, null, "录错", "王专家", Withdraw: true));
        (await nothing.Content.ReadAsStringAsync()).ShouldContain("指标 1：教育局评定栏没有可撤回的录入");
        var withdrawn = await http.PostAsJsonAsync(Sheet + "/entries", new EntryBody("22", "bureau", null, null, null, "录错学校", "王专家", Withdraw: true));
        withdrawn.StatusCode.ShouldBe(HttpStatusCode.OK, await withdrawn.Content.ReadAsStringAsync());

        var sheet = await GetAsync(http, Sheet);
        sheet.Lines.Single(l => l.Target == "22").Columns["bureau"].Status.ShouldBe("pending");
        sheet.Lines.Single(l => l.Target == "19").Columns["bureau"].Score.ShouldBe(3);
        var log = (await http.GetFromJsonAsync<EntryLogView[]>(Sheet + "/entries", Json))!;
        log.Select(l => (l.Target, l.OldScore, l.NewScore, l.Reason, l.Withdrawn))
            .ShouldBe([("19", 3m, 3m, null, false), ("22", null, 2.5m, null, false), ("22", 2.5m, null, "录错学校", true)]);
    }

    [Fact]
    public async Task Applied_stars_refuse_a_missing_or_non_integer_level_with_a_message()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host, FullFacts());
        using var http = await HostFixture.ClientAsAsync(host, "school", School, "泾源一小");
        (await http.PutAsJsonAsync(Sheet + "/applied-stars", new { stars = 4 })).StatusCode.ShouldBe(HttpStatusCode.OK);

        foreach (var (body, message) in new[] { ("{}", "请求须含 stars"), ("""{"stars":"四"}""", "申报星级“四”无法识别"), ("""{"stars":2.5}""", "申报星级“2.5”无法识别"), ("""{"stars":6}""", "申报星级“6”无法识别"),
            ("""{"stars":1}""", "应为 2 到 5 的整数") /* 第十条: there is no 一星级 */ })
        {
            var response = await http.PutAsync(Sheet + "/applied-stars", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
            (await response.Content.ReadAsStringAsync()).ShouldContain(message);
        }

        (await GetAsync(http, Sheet)).AppliedStars.ShouldBe(4, "a refused request changes nothing");
        var unreadable = await http.PostAsync(Sheet + "/entries",
            new StringContent("""{"target":"22","score":"1,5"}""", System.Text.Encoding.UTF8, "application/json"));
        unreadable.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await unreadable.Content.ReadAsStringAsync()).ShouldContain("请求的参数或请求体格式不对");
        (await HostFixture.Client(host).GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Entries_out_of_bounds_are_refused_naming_the_item()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host, FullFacts());
        using var http = await HostFixture.ClientAsAsync(host, "bureau", "640424", "李老师");

        foreach (var (body, message) in new (EntryBody, string)[]
        {
            (new EntryBody("22", "bureau", 2.3m, null, null, null, "李老师"), "指标 22：得分 2.3 不在 0～3 分之间或不是 0.5 分的整数倍"),
            (new EntryBody("99", "bureau", 1, null, null, null, "李老师"), "评分标准 school-2022 没有指标 99"),
            (new EntryBody("16", "bureau", 1, null, null, null, "李老师"), "指标 16 分为几部分，请分别填写：16/library、16/uploads、16/shared"),
            (new EntryBody("30", "bureau", null, new Dictionary<string, int> { ["papers"] = 1 }, null, null, "李老师"), "指标 30：没有计数项“papers”，本项的计数项为 awards"),
        })
        {
            var response = await http.PostAsJsonAsync(Sheet + "/entries", body);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await response.Content.ReadAsStringAsync()).ShouldContain(message);
        }

        var wrongLevel = await http.GetAsync("/api/scoresheets/county:2024/" + School);
        wrongLevel.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await wrongLevel.Content.ReadAsStringAsync()).ShouldContain("county:2024 的评分表评的是县（区）");
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.scoresheet_entry")).ShouldBe(0);
    }

    [Fact]
    public async Task County_list_shows_each_school_with_its_prefilled_total()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host, FullFacts());
        using var http = await HostFixture.ClientAsAsync(host, "bureau", "640424", "李老师");

        var built = await http.PostAsync("/api/counties/640424/scoresheets/school:2024", null);
        built.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var list = JsonDocument.Parse(await http.GetStringAsync("/api/counties/640424/scoresheets/school:2024"));

        var rows = list.RootElement.EnumerateArray().ToArray();
        rows.Select(r => r.GetProperty("orgCode").GetString()).ShouldBe([School, "2164240002"]);
        rows[0].GetProperty("columns").GetProperty("bureau").GetProperty("total").GetDecimal().ShouldBe(20);
        rows[1].GetProperty("columns").GetProperty("bureau").GetProperty("total").GetDecimal().ShouldBe(0);
        rows[1].GetProperty("columns").GetProperty("bureau").GetProperty("notComputable").GetInt32().ShouldBe(11);
    }

    [Fact]
    public async Task Exports_carry_every_line_with_its_figures_and_neutralise_formula_text()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host, FullFacts());
        using var http = await HostFixture.ClientAsAsync(host, "bureau", "640424", "王专家");
        using var formulaName = await HostFixture.ClientAsAsync(host, "bureau", "640424", "@王专家");
        (await http.PostAsync("/api/counties/640424/scoresheets/school:2024", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var overridden = await formulaName.PostAsJsonAsync(Sheet + "/entries", new EntryBody("19", "bureau", 1, null, null, "=HYPERLINK(\"x\")"));
        overridden.StatusCode.ShouldBe(HttpStatusCode.OK, await overridden.Content.ReadAsStringAsync());
        (await http.PostAsJsonAsync(Sheet + "/entries", new EntryBody("63", "bureau", null, new Dictionary<string, int> { ["articles"] = 2 }, null, null, "王专家")))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        // CSV: one line per target and column (3 columns), UTF-8 with a byte-order mark, formula text neutralised.
        var csvResponse = await http.GetAsync(Sheet + "/lines.csv");
        csvResponse.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var bytes = await csvResponse.Content.ReadAsByteArrayAsync();
        bytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        var csv = System.Text.Encoding.UTF8.GetString(bytes.AsSpan(3)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var sheet = await GetAsync(http, Sheet);
        csv.Length.ShouldBe(1 + (3 * sheet.Lines.Count));
        csv[0].ShouldBe("机构代码,机构名称,评分标准,周期,评分栏,指标,序号,指标内容,分值,★,状态,得分,自动得分,判定,数据,次数,录入人,理由");
        var line19 = csv.Single(l => l.Contains(",教育局评定,19,19,", StringComparison.Ordinal));
        line19.ShouldContain(",3,★,已改写,1,3,");
        line19.ShouldContain(",宁夏中小学“互联网+教育”智慧校园认定标准,2024年度,");
        line19.ShouldContain("'@王专家");
        line19.ShouldContain("\"'=HYPERLINK(\"\"x\"\")\"");
        var line23 = csv.Single(l => l.Contains(",学校自评,23,23,", StringComparison.Ordinal));
        line23.ShouldContain("应用指数 300 分/人，高于全区 200 分/人");
        line23.ShouldContain("应用指数 2023年 300 分/人（12000/40） · 宁夏教育云 · 批次 ");
        line23.ShouldNotContain("cloud.app_index");
        csv.Single(l => l.Contains(",教育局评定,63,63,", StringComparison.Ordinal))
            .ShouldContain(",已录入,2,,,,在国家、自治区、地市正规教育报刊党报党刊上公开发表的新闻报道或经验介绍（篇） 2,王专家,");

        csvResponse.Content.Headers.ContentDisposition!.FileNameStar.ShouldBe("2164240001-泾源县城关第一小学-2024年度学校星级评定-评分明细.csv");

        // JSON: the same lines, Chinese written as itself; auto figures name the region's fact too.
        var jsonText = await http.GetStringAsync(Sheet + "/lines.json");
        jsonText.ShouldContain("\"教育局评定\"");
        jsonText.ShouldNotContain("\\u");
        using var json = JsonDocument.Parse(jsonText);
        var lines = json.RootElement.EnumerateArray().ToArray();
        lines.Length.ShouldBe(3 * sheet.Lines.Count);
        var auto23 = lines.Single(l => l.GetProperty("column").GetString() == "教育局评定" && l.GetProperty("target").GetString() == "23");
        (auto23.GetProperty("status").GetString(), auto23.GetProperty("score").GetDecimal()).ShouldBe(("自动", 2m));
        auto23.GetProperty("figures").GetString()!.ShouldContain("全区应用指数 2023年 200 分/人（2000000/10000）");
        lines.Single(l => l.GetProperty("column").GetString() == "教育局评定" && l.GetProperty("target").GetString() == "1")
            .GetProperty("status").GetString().ShouldBe("待填");

        // The school form: the six areas in three columns and the total, read back from the workbook (the rest of
        // 附件2 is checked in SchoolFormTests).
        using var form = new MemoryStream(await http.GetByteArrayAsync(Sheet + "/form.xlsx"));
        var cells = Ingest.Documents.Forms.Xlsx.Read(form, "星级认定表")!;
        cells[(3, 2)].ShouldBe("泾源县城关第一小学");
        cells.Where(c => c.Key.Column == 2 && c.Value.Contains("分）", StringComparison.Ordinal)).OrderBy(c => c.Key.Row).Select(c => c.Value)
            .ShouldBe(["一、基础设施（15分）", "二、数字资源（15分）", "三、应用融合（40分）", "四、师生能力与发展（10分）", "五、保障体系（10分）", "六、示范成果（10分）"]);
        var total = cells.Single(c => c.Value == "合计").Key.Row;
        (cells[(total, 4)], cells[(total, 5)]).ShouldBe(("20", "20"));

        // The county summary: schools grouped by the bureau's level, each with its score.
        using var summary = new MemoryStream(await http.GetByteArrayAsync("/api/counties/640424/scoresheets/school:2024/summary.xlsx"));
        var srows = MiniExcelLibs.MiniExcel.Query(summary, useHeaderRow: false, sheetName: "星级评定").Cast<IDictionary<string, object?>>().ToArray();
        srows[0]["A"].ShouldBe("泾源县2024年度“互联网+教育”智慧校园星级评定结果（教育局评定）");
        // Lines still wait in the bureau's column: no level is given yet.
        srows[2]["A"].ShouldBe("待定（尚有待填项）（2所）");
        srows.Skip(3).Select(r => (r["B"], r["C"])).ShouldBe([("泾源县城关第一小学", School), ("泾源县城关第二小学", "2164240002")]);

        (await http.GetAsync("/api/scoresheets/county:2024/640424/form.xlsx")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Programme_report_reads_the_stored_levels_of_every_school_of_the_county()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host, FullFacts());
        using var http = await HostFixture.ClientAsAsync(host, "bureau", "640424", "李老师");
        using var school = await HostFixture.ClientAsAsync(host, "school", School, "泾源一小");
        using var department = await HostFixture.ClientAsAsync(host, "department", "640000", "厅专家");
        (await http.PostAsync("/api/counties/640424/scoresheets/school:2024", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The first school applies for 4 stars; bureau and department both rate it 94.5 with every ★ item full.
        (await school.PutAsJsonAsync(Sheet + "/applied-stars", new AppliedStarsBody(4))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var sheet = await GetAsync(http, Sheet);
        foreach (var (client, column) in new[] { (http, "bureau"), (department, "department") })
        {
            foreach (var body in BulletinEntries(sheet, column))
            {
                (await client.PostAsJsonAsync(Sheet + "/entries", body)).StatusCode.ShouldBe(HttpStatusCode.OK);
            }
        }

        // The second school has no facts: the bureau scores every line of it 0.
        await ZeroAsync(http, "/api/scoresheets/school:2024/2164240002");

        // Both schools are the department's 培育对象 for the year: the base of the share.
        (await department.PostAsync("/api/roster/2024/import", new StringContent($"学校标识码,类别\n{School},自治区培育对象\n2164240002,自治区培育对象\n")))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        // Until the bureau forwards it, the application is not one: the bureau's column decides, at most 三星级.
        using (var unforwarded = JsonDocument.Parse(await department.GetStringAsync("/api/reports/school:2024/programme?county=640424")))
        {
            unforwarded.RootElement.GetProperty("fourStarPassRate").GetArrayLength().ShouldBe(0);
        }

        await FinaliseAndForwardAsync(http, School);
        using var report = JsonDocument.Parse(await department.GetStringAsync("/api/reports/school:2024/programme?county=640424"));
        var root = report.RootElement;

        // 4-star applications: 1, passed 1 → 100%, met.
        var pass = root.GetProperty("fourStarPassRate").EnumerateArray().Single();
        (pass.GetProperty("countyName").GetString(), pass.GetProperty("applications").GetInt32(), pass.GetProperty("passed").GetInt32(), pass.GetProperty("rate").GetDecimal(), pass.GetProperty("status").GetString())
            .ShouldBe(("泾源县", 1, 1, 1m, "met"));

        // 3-star share: 2 cultivation schools allow ⌊0.6⌋ = 0; the second school, 0 on every line, holds no level.
        var share = root.GetProperty("threeStarShare").EnumerateArray().Single();
        (share.GetProperty("cultivationSchools").GetInt32(), share.GetProperty("allowed").GetInt32(), share.GetProperty("threeStarSchools").GetArrayLength(),
            share.GetProperty("undecided").GetInt32(), share.GetProperty("status").GetString()).ShouldBe((2, 0, 0, 0, "met"));
        root.GetProperty("demotions").GetArrayLength().ShouldBe(0, "no level is registered");

        (await http.GetAsync("/api/reports/county:2024/programme")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Programme_report_counts_a_4_star_applicant_with_a_pending_department_column_once_as_undecided()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host, FullFacts());
        using var http = await HostFixture.ClientAsAsync(host, "bureau", "640424", "李老师");
        using var school = await HostFixture.ClientAsAsync(host, "school", School, "泾源一小");
        (await http.PostAsync("/api/counties/640424/scoresheets/school:2024", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The first school applies for 4 stars; the bureau fills its column, the department has not started.
        // The second school has no facts: the bureau scores every line of it 0, below 70 points (未达到星级, 第十条).
        (await school.PutAsJsonAsync(Sheet + "/applied-stars", new AppliedStarsBody(4))).StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var body in BulletinEntries(await GetAsync(http, Sheet), "bureau"))
        {
            (await http.PostAsJsonAsync(Sheet + "/entries", body)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await ZeroAsync(http, "/api/scoresheets/school:2024/2164240002");

        await FinaliseAndForwardAsync(http, School);

        // Both schools are the department's 培育对象 for the year (the base of the share).
        using var department = await HostFixture.ClientAsAsync(host, "department", "640000", "教育厅");
        (await department.PostAsync("/api/roster/2024/import", new StringContent($"学校标识码,类别\n{School},自治区培育对象\n2164240002,自治区培育对象\n")))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        using var report = JsonDocument.Parse(await http.GetStringAsync("/api/reports/school:2024/programme?county=640424"));
        var root = report.RootElement;
        var share = root.GetProperty("threeStarShare").EnumerateArray().Single();
        var schools = share.GetProperty("schools").EnumerateArray()
            .Select(s => (s.GetProperty("schoolCode").GetString(), s.GetProperty("level").GetString(), s.GetProperty("decidedBy").GetString())).ToArray();

        // Two cultivation schools, each counted once: the applicant waits for 教育厅评定, the other holds what 教育局评定 gives.
        share.GetProperty("cultivationSchools").GetInt32().ShouldBe(2);
        (share.GetProperty("threeStarSchools").GetArrayLength() + share.GetProperty("notThreeStar").GetInt32() + share.GetProperty("undecided").GetInt32()).ShouldBe(2);
        schools.ShouldBe([(School, "待定", "教育厅评定"), ("2164240002", "未达到星级", "教育局评定")]);
        var pass = root.GetProperty("fourStarPassRate").EnumerateArray().Single();
        (pass.GetProperty("applications").GetInt32(), pass.GetProperty("undecided").GetInt32(), pass.GetProperty("verdict").GetString()).ShouldBe((1, 1, "待定"));
        root.GetProperty("basis").GetString()!.ShouldContain("教育局报送的四星级申请与厅直属学校以教育厅评定栏的星级为准");
    }

    /// <summary>The bureau scores every line of a sheet 0 in its column.</summary>
    internal static async Task ZeroAsync(HttpClient bureau, string sheet)
    {
        foreach (var line in (await GetAsync(bureau, sheet)).Lines)
        {
            var body = line.Kind switch
            {
                "counts" => new EntryBody(line.Target, "bureau", null, new Dictionary<string, int>(), null, null, "李老师"),
                "flag" => new EntryBody(line.Target, "bureau", null, null, false, null, "李老师"),
                _ => new EntryBody(line.Target, "bureau", 0, null, null, "现场核查", "李老师"),
            };
            (await bureau.PostAsJsonAsync(sheet + "/entries", body)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    /// <summary>The bureau finalises 泾源县 (every school's bureau column complete) and forwards <paramref name="school"/>'s 申报四星级.</summary>
    internal static async Task FinaliseAndForwardAsync(HttpClient bureau, string school, int year = 2024)
    {
        var finalised = await bureau.PostAsync($"/api/counties/640424/scoresheets/school:{year}/finalise", null);
        finalised.StatusCode.ShouldBe(HttpStatusCode.OK, await finalised.Content.ReadAsStringAsync());
        var forwarded = await bureau.PostAsync($"/api/levels/{year}/{school}/forward", null);
        forwarded.StatusCode.ShouldBe(HttpStatusCode.OK, await forwarded.Content.ReadAsStringAsync());
    }

    internal static async Task<ScoresheetView> GetAsync(HttpClient http, string url) => (await http.GetFromJsonAsync<ScoresheetView>(url, Json))!;

    internal static IEnumerable<EntryBody> BulletinEntries(ScoresheetView sheet, string column = "bureau")
    {
        var shortOf = new Dictionary<string, decimal> { ["1"] = 0, ["9"] = 0, ["10"] = 0.5m, ["22"] = 0 };
        foreach (var line in sheet.Lines.Where(l => l.Kind == "score"))
        {
            yield return new EntryBody(line.Target, column, shortOf.GetValueOrDefault(line.Target, line.Points), null, null, null, "李老师");
        }

        // Lines whose data covers only part of their item (21★, 25★, 46, 48★) are confirmed on site at their pre-filled score.
        foreach (var line in sheet.Lines.Where(l => l.Columns[column].Status == "unconfirmed"))
        {
            yield return new EntryBody(line.Target, column, line.Columns[column].Score, null, null, "现场确认", "李老师");
        }

        yield return new EntryBody("64", column, null, null, false, null, "李老师");
        yield return Counts("30", ("awards", 12));
        yield return Counts("31", ("papers", 8));
        yield return Counts("42", ("projects", 2));
        yield return Counts("61", ("cases", 1), ("commendations", 1));
        yield return Counts("62", ("nationalCase", 1), ("nationalShowcase", 1), ("spaceAward", 1));
        yield return Counts("63", ("articles", 2), ("visits", 2));

        EntryBody Counts(string item, params (string Key, int N)[] counts) =>
            new(item, column, null, counts.ToDictionary(c => c.Key, c => c.N), null, null, "李老师");
    }

    /// <summary>固原市 › 泾源县 › two schools, and the facts written by a run of their own.</summary>
    internal static async Task SeedAsync(IngestWebHost host, IndicatorFact[] facts)
    {
        var services = host.App.Services;
        await services.GetRequiredService<OrganisationStore>().UpsertAsync(
        [
            new Organisation("640400", "固原市", OrgLevel.City, Organisation.RegionCode),
            new Organisation("640424", "泾源县", OrgLevel.County, "640400"),
            new Organisation(School, "泾源县城关第一小学", OrgLevel.School, "640424"),
            new Organisation("2164240002", "泾源县城关第二小学", OrgLevel.School, "640424"),
        ], CancellationToken.None);
        var runId = await services.GetRequiredService<RunStore>().CreateRunAsync(
            new RunRequest("test", "school:2024", ["2023", "2023-2024"], ["640424"], ["cloud", "progress"], "test", null), CancellationToken.None);
        await using var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await FactStore.WriteAsync(connection, tx, facts, runId, services.GetRequiredService<TimeProvider>().GetUtcNow(), CancellationToken.None);
        await tx.CommitAsync();
    }
}
