using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ingest.Application.Claims;
using Ingest.Core.Text;
using Ingest.Documents.Claims;
using Ingest.Scoring.Sheets;
using Ingest.Testing;
using static Ingest.Host.Tests.People.People;

namespace Ingest.Host.Tests.Audit;

/// <summary>Claims files over HTTP against real PostgreSQL: the three formats, a bad row, a corrected file, who may import.</summary>
public class ClaimsImportTests
{
    private const string Cycle = "school:2024";
    private const string Header = "学校标识码,学校名称,序号,指标,分值,自评得分,自评数据,说明";

    private static ByteArrayContent Body(byte[] bytes) => new(bytes);

    private static Task<HttpResponseMessage> ImportAsync(HttpClient http, byte[] bytes, string file) =>
        http.PostAsync($"/api/claims/{Cycle}/import?fileName={Uri.EscapeDataString(file)}", Body(bytes));

    [Fact]
    public async Task A_bureau_imports_a_utf8_csv_for_its_schools_and_the_claims_fill_their_self_columns()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host);
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "李老师");
        var csv = string.Join("\r\n", Header,
            $"{School},泾源县城关第一小学,23,应用指数,2,2,310,",
            $"{School},泾源县城关第一小学,16.1,图书馆,1,1,,",
            $"{School},泾源县城关第一小学,1,网络,1,1,,现场已核",
            $"{OtherSchool},泾源县城关第二小学,22,,3,2.5,,") + "\r\n";

        var response = await ImportAsync(bureau, Encoding.UTF8.GetBytes(csv), "泾源县自评.csv");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var outcome = (await response.Content.ReadFromJsonAsync<ClaimsImportOutcome>())!;
        (outcome.Rows, outcome.Schools.Count).ShouldBe((4, 2));
        var sheet = (await bureau.GetFromJsonAsync<ScoresheetView>($"/api/scoresheets/{Cycle}/{School}", Scoring.ScoresheetApiTests.Json))!;
        sheet.Lines.Single(l => l.Target == "16/library").Columns["self"].Score.ShouldBe(1);
        sheet.Lines.Single(l => l.Target == "1").Columns["self"].Entry!.Reason.ShouldBe("现场已核");
        // Filled on the school's behalf: signed so, with the bureau's name (代填).
        sheet.Lines.Single(l => l.Target == "23").Columns["self"].Entry!.By.ShouldBe("李老师（泾源县教育局代填）");
        sheet.Lines.Single(l => l.Target == "1").Columns["bureau"].Status.ShouldBe("pending", "claims fill 学校自评 only");
        (await HostFixture.ScalarAsync<string>(cs, "SELECT string_agg(DISTINCT file_name, ',') FROM ingest.scoresheet_import WHERE rating_column = 'self'"))
            .ShouldBe("泾源县自评.csv");
        (await HostFixture.ScalarAsync<decimal>(cs, $"SELECT figure FROM ingest.claim WHERE school_code = '{School}' AND target = '23'")).ShouldBe(310);
    }

    [Fact]
    public async Task A_school_imports_gb18030_then_a_corrected_xlsx_which_replaces_its_claims_and_keeps_the_history()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host);
        using var school = await HostFixture.ClientAsAsync(host, "school", School, "城关一小");
        var first = string.Join("\r\n", Header, $"{School},泾源县城关第一小学,22,,3,3,,", $"{School},泾源县城关第一小学,1,,1,1,,") + "\r\n";
        (await ImportAsync(school, ChineseText.Gb18030.GetBytes(first), "第一次.csv")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The corrected file, as the service's own workbook: 22 lowered, 1 left out.
        var rows = ClaimsTemplate.Rows(Ingest.Scoring.Rubrics.RubricLibrary.Get("school-2022"),
            [new Core.Organisations.Organisation(School, "泾源县城关第一小学", Core.Organisations.OrgLevel.School, "640424")]);
        var row22 = rows.Single(r => r[2] == "22");
        row22[5] = "2.5";
        using var workbook = new MemoryStream();
        ClaimsTemplate.WriteWorkbook(workbook, rows);
        var second = await ImportAsync(school, workbook.ToArray(), "更正.xlsx");
        second.StatusCode.ShouldBe(HttpStatusCode.OK, await second.Content.ReadAsStringAsync());

        var claims = await school.GetFromJsonAsync<JsonElement>($"/api/claims/{Cycle}/{School}");
        var current = claims.GetProperty("current");
        current.GetProperty("fileName").GetString().ShouldBe("更正.xlsx");
        current.GetProperty("claims").EnumerateArray().Select(c => (c.GetProperty("target").GetString(), c.GetProperty("score").GetDecimal())).ShouldBe([("22", 2.5m)]);
        claims.GetProperty("imports").GetArrayLength().ShouldBe(2, "the first import stays in history");
        var sheet = (await school.GetFromJsonAsync<ScoresheetView>($"/api/scoresheets/{Cycle}/{School}", Scoring.ScoresheetApiTests.Json))!;
        sheet.Lines.Single(l => l.Target == "22").Columns["self"].Score.ShouldBe(2.5m);
        sheet.Lines.Single(l => l.Target == "1").Columns["self"].Status.ShouldBe("pending", "a line the corrected file leaves out is withdrawn");
        sheet.Lines.Single(l => l.Target == "22").Columns["self"].Entry!.By.ShouldBe("城关一小", "a school filling its own column signs with its name alone");
    }

    [Fact]
    public async Task A_bureaus_import_for_two_schools_is_signed_as_filled_on_their_behalf_and_each_school_sees_only_itself()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host);
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "李老师");
        var csv = string.Join("\r\n", Header, $"{School},泾源县城关第一小学,1,网络,1,1,,", $"{OtherSchool},泾源县城关第二小学,23,应用指数,2,2,999,") + "\r\n";
        (await ImportAsync(bureau, Encoding.UTF8.GetBytes(csv), "../../泾源县\r\n自评.csv")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The trail holds the import once for each school, so a county's auditor finds it under either school.
        using var auditor = await HostFixture.ClientAsAsync(host, "auditor", "640424", "泾源县审计");
        foreach (var school in new[] { School, OtherSchool })
        {
            var trail = (await auditor.GetFromJsonAsync<Data.Audit.AuditRecord[]>($"/api/audit?org={school}&action=claims.import", Scoring.ScoresheetApiTests.Json))!;
            var line = trail.ShouldHaveSingleItem();
            (line.Actor, line.Role, line.Scope).ShouldBe(("李老师", "bureau", "640424"));
            line.Subject.ShouldBe($"{Cycle} 泾源县__自评.csv", "the file's name as kept: no path, no line break");
        }

        // The school reads the county's claims page: its own claims, not the other school's nor the county's totals.
        await CreateAccountAsync(host, "cg-school", "城关一小王老师", "school", School);
        var (school1, _) = await SignInAsync(host, "cg-school", Password);
        var page = await school1.GetAsync($"/audit/claims/{Cycle}/640424");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain($"id=\"school-{School}\"");
        html.ShouldNotContain(OtherSchool);
        html.ShouldNotContain("有自评的学校");
        html.ShouldNotContain("高于数据的学校");

        // Its sheet shows who filled its column on its behalf.
        (await school1.GetStringAsync($"/sheets/{Cycle}/{School}")).ShouldContain("李老师（泾源县教育局代填）");
    }

    [Fact]
    public async Task A_file_with_bad_rows_is_refused_whole_naming_each_row_and_column()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host);
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "李老师");
        var csv = string.Join("\r\n", Header,
            $"{School},,22,,3,2.5,,",          // line 2: fine on its own
            $"{School},,22,,3,3.3,,",          // line 3: off the 0.5 steps
            $"{School},,99,,,1,,",             // line 4: no such item
            $"{School},,23,,2,2,三百,",         // line 5: figure not a number
            $"{School},,19,,3,\"1,5\",,",      // line 6: a decimal comma
            $"{ForeignSchool},,1,,1,1,,",      // line 7: another county's school
            "2164249999,,1,,1,1,,",            // line 8: not in the directory
            $"{School},,16,,5,5.5,,",          // line 9: above the item's points (the whole of 16 is worth 5)
            $"{School},,16.2,,,,,") + "\r\n";     // line 10: nothing claimed: skipped

        var response = await ImportAsync(bureau, Encoding.UTF8.GetBytes(csv), "有错.csv");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("file").GetString().ShouldBe("有错.csv");
        problem.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetString()).ShouldBe(
        [
            "第 3 行“自评得分”列：指标 22：得分 3.3 不在 0～3 分之间或不是 0.5 分的整数倍",
            "第 4 行“序号”列：“99”不是宁夏中小学“互联网+教育”智慧校园认定标准的序号（分项写作 16.1、16.2……）",
            "第 5 行“自评数据”列：“三百”不是数字（小数用小数点，不用千位分隔符）",
            "第 6 行“自评得分”列：自评得分“1,5”含逗号：小数请用小数点，如 1.5",
            $"第 7 行“学校标识码”列：{ForeignSchool} 不在本账号的范围内：学校只能为本校、教育局只能为本县（区）的学校导入自评",
            "第 8 行“学校标识码”列：机构目录中没有学校 2164249999",
            "第 9 行“自评得分”列：指标 16：得分 5.5 不在 0～5 分之间或不是 0.5 分的整数倍",
        ]);
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.claim")).ShouldBe(0, "the good line 2 is not kept either");
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.scoresheet_entry")).ShouldBe(0);
    }

    [Fact]
    public async Task A_school_imports_only_for_itself_and_readers_import_nothing()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host);
        using var school = await HostFixture.ClientAsAsync(host, "school", School, "城关一小");
        var forOther = Encoding.UTF8.GetBytes(string.Join("\r\n", Header, $"{OtherSchool},,1,,1,1,,") + "\r\n");
        var refused = await ImportAsync(school, forOther, "冒填.csv");
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).ShouldContain($"{OtherSchool} 不在本账号的范围内");

        foreach (var (role, scope) in new[] { ("auditor", "640000"), ("department", "640000") })
        {
            using var reader = await HostFixture.ClientAsAsync(host, role, scope, role);
            (await ImportAsync(reader, Encoding.UTF8.GetBytes(string.Join("\r\n", Header, $"{School},,1,,1,1,,")), "x.csv")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.claim_import")).ShouldBe(0);

        // The template: a row per item, parts numbered as the standard lists them; UTF-8 with a byte-order mark.
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "李老师");
        var bytes = await bureau.GetByteArrayAsync($"/api/claims/{Cycle}/template.csv?county=640424");
        bytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        var lines = Encoding.UTF8.GetString(bytes.AsSpan(3)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe(Header + ",佐证材料");
        lines.Count(l => l.StartsWith(School, StringComparison.Ordinal)).ShouldBe(lines.Count(l => l.StartsWith(OtherSchool, StringComparison.Ordinal)));
        lines.Where(l => l.StartsWith(School, StringComparison.Ordinal)).Select(l => l.Split(',')[2]).ShouldContain("16.1");
        (await school.GetAsync($"/api/claims/{Cycle}/template.csv?county=640424")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Claims_on_counted_and_flag_items_and_a_parted_item_claimed_whole_reach_the_sheet_which_then_adds_up_as_the_report()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host);
        using var school = await HostFixture.ClientAsAsync(host, "school", School, "城关一小");
        // 30 and 42 are counted, 64 is the 是否项 (10 bonus points), 16 has three parts and is claimed whole at 4 of 5.
        var csv = string.Join("\r\n", Header,
            $"{School},泾源县城关第一小学,30,,5,3,,",
            $"{School},泾源县城关第一小学,42,,2,1,,",
            $"{School},泾源县城关第一小学,64,,10,10,,",
            $"{School},泾源县城关第一小学,16,,5,4,,",
            $"{School},泾源县城关第一小学,23,,2,2,,") + "\r\n";

        var response = await ImportAsync(school, Encoding.UTF8.GetBytes(csv), "自评.csv");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var sheet = (await school.GetFromJsonAsync<ScoresheetView>($"/api/scoresheets/{Cycle}/{School}", Scoring.ScoresheetApiTests.Json))!;
        sheet.Lines.Single(l => l.Target == "30").Columns["self"].Score.ShouldBe(3);
        sheet.Lines.Single(l => l.Target == "42").Columns["self"].Score.ShouldBe(1);
        sheet.Lines.Single(l => l.Target == "64").Columns["self"].Score.ShouldBe(10);
        sheet.Lines.Where(l => l.Target.StartsWith("16/", StringComparison.Ordinal)).Sum(l => l.Columns["self"].Score ?? 0).ShouldBe(4);

        // One school, one self-assessment: the report's claimed total and level are the sheet's 学校自评 column.
        var report = await school.GetFromJsonAsync<JsonElement>($"/api/claims/{Cycle}/{School}/report");
        var self = sheet.Columns.Single(c => c.Column == "self");
        report.GetProperty("report").GetProperty("claimedTotal").GetDecimal().ShouldBe(self.Total);
        var claimedStars = report.GetProperty("report").GetProperty("claimedStars");
        int? stars = claimedStars.ValueKind == JsonValueKind.Null || claimedStars.GetProperty("stars").ValueKind == JsonValueKind.Null
            ? null : claimedStars.GetProperty("stars").GetInt32();
        stars.ShouldBe(self.Stars?.Stars);

        // A 是否项 claims all or nothing: 5 of 64's 10 points is refused, naming the row, and nothing of the file is kept.
        var half = string.Join("\r\n", Header, $"{School},泾源县城关第一小学,64,,10,5,,") + "\r\n";
        var refused = await ImportAsync(school, Encoding.UTF8.GetBytes(half), "自评二.csv");
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("第 2 行“自评得分”列：指标 64：是否项的自评得分只能是 0 或 10 分，不能是 5");
    }
}
