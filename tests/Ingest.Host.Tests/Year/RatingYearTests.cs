using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ingest.Host.Scoring;
using Ingest.Testing;
using static Ingest.Host.Tests.Scoring.ScoresheetApiTests;

namespace Ingest.Host.Tests.Year;

/// <summary>
/// One county through the rating year and the years after it (宁教发〔2022〕33号 第十至十五条), over real PostgreSQL and
/// HTTP: the roster, self-assessment, the bureau's rating and 备案, the forwarded 申报四星级, the department's decision,
/// 授牌 by each body; then years in which a school does not apply and keeps its level, until 第十四条 lists it.
/// </summary>
public class RatingYearTests
{
    private const string School = "2164240001";
    private const string Other = "2164240002";

    [Fact]
    public async Task A_county_goes_through_a_year_and_its_levels_are_held_until_the_fourteenth_article_lists_them()
    {
        var cs = await HostFixture.DatabaseAsync();
        // 2024's 自评 deadline moved by the year's own setting; the other stages keep the measures' dates.
        await using var host = await HostFixture.StartAsync(cs, settings: new Dictionary<string, string?> { ["Rating:Year:Years:2024:SelfAssessment"] = "2030-03-10" });
        await SeedAsync(host, [.. FullFacts(), .. FullFacts().Where(f => f.OrgCode == School).Select(f => f with { OrgCode = Other })]);
        using var department = await HostFixture.ClientAsAsync(host, "department", "640000", "教育厅张处长");
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "李老师");
        using var school = await HostFixture.ClientAsAsync(host, "school", School, "城关一小");

        // The roster: both schools are the department's 培育对象 for 2024.
        (await department.PostAsync("/api/roster/2024/import", new StringContent($"学校标识码,类别,批复文号,批复日期\n{School},自治区培育对象,宁教信〔2024〕8号,2024-03-10\n{Other},自治区培育对象,宁教信〔2024〕8号,2024-03-10\n")))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        // 自评与申请: the first school applies for 四星级; the second applies for nothing (the bureau decides it, at most 三星级).
        (await bureau.PostAsync("/api/counties/640424/scoresheets/school:2024", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await school.PutAsJsonAsync($"/api/scoresheets/school:2024/{School}/applied-stars", new AppliedStarsBody(4))).StatusCode.ShouldBe(HttpStatusCode.OK);

        // 县级认定: the bureau rates both 94.5 and finalises; it may forward the 四星级 application only, and only after 备案.
        foreach (var code in new[] { School, Other })
        {
            var url = $"/api/scoresheets/school:2024/{code}";
            foreach (var body in BulletinEntries(await GetAsync(bureau, url)))
            {
                (await bureau.PostAsJsonAsync(url + "/entries", body)).StatusCode.ShouldBe(HttpStatusCode.OK);
            }
        }

        // Past 8月31日 (this machine's today is later), nothing is blocked, but the county is told what waits.
        (await LateAsync(bureau)).ShouldBe(["已过“县级认定与备案（报送四星级申请）”截止日期（2024年8月31日）：泾源县 2 所学校的评分表尚未备案"],
            "the 自评 deadline of 2024 is set to 2030: not passed");

        var early = await bureau.PostAsync($"/api/levels/2024/{School}/forward", null);
        early.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await early.Content.ReadAsStringAsync()).ShouldContain("请先备案");
        await FinaliseAndForwardAsync(bureau, School);
        var notApplied = await bureau.PostAsync($"/api/levels/2024/{Other}/forward", null);
        notApplied.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await notApplied.Content.ReadAsStringAsync()).ShouldContain("只有申报四星级及以上的学校报送教育厅认定");
        (await department.PostAsync($"/api/levels/2024/{School}/forward", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        (await StatesAsync(bureau, 2024)).ShouldBe([(School, "待教育厅认定", "未定级"), (Other, "待授牌：三星级", "未定级")]);
        (await LateAsync(bureau)).ShouldBe([
            "已过“自治区认定”截止日期（2024年9月10日）：泾源县 1 所学校由教育厅认定，尚未认定",
            "已过“授牌”截止日期（2024年12月31日）：泾源县 1 所学校已认定，尚未授牌"]);

        // 授牌 by the bureau: its 三星级 only; the forwarded school is the department's to award.
        var awarded = await bureau.PostAsJsonAsync("/api/levels/2024/award?county=640424", new { decidedOn = "2024-08-30", document = "泾教发〔2024〕12号" });
        awarded.StatusCode.ShouldBe(HttpStatusCode.OK, await awarded.Content.ReadAsStringAsync());
        using (var done = JsonDocument.Parse(await awarded.Content.ReadAsStringAsync()))
        {
            done.RootElement.GetProperty("awarded").EnumerateArray().Select(a => (a.GetProperty("schoolCode").GetString(), a.GetProperty("level").GetString(), a.GetProperty("body").GetString()))
                .ShouldBe([(Other, "三星级", "泾源县教育局")]);
        }

        // 自治区认定 (9月上旬): the department rates the forwarded school in its own column, then awards it.
        var sheet = $"/api/scoresheets/school:2024/{School}";
        (await department.PostAsJsonAsync("/api/levels/2024/award", new { decidedOn = "2024-09-10" })).StatusCode
            .ShouldBe(HttpStatusCode.BadRequest, "the department's column is not complete yet");
        foreach (var body in BulletinEntries(await GetAsync(department, sheet), "department"))
        {
            (await department.PostAsJsonAsync(sheet + "/entries", body)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await department.PostAsJsonAsync("/api/levels/2024/award", new { decidedOn = "2024-09-10", document = "宁教信〔2024〕20号" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var again = await department.PostAsJsonAsync("/api/levels/2024/award", new { decidedOn = "2024-09-11" });
        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest, "awarding twice adds nothing");
        (await again.Content.ReadAsStringAsync()).ShouldContain("已于 2024-09-10 授牌四星级");
        (await StatesAsync(department, 2024)).ShouldBe([(School, "已授牌：四星级", "未定级"), (Other, "已授牌：三星级", "未定级")]);
        (await LateAsync(department)).ShouldBeEmpty();
        (await school.GetAsync("/api/levels/2024/?county=640424")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // The year's report: one forwarded application, passed; 1 of 2 schools at 四星级 or above (第十三条).
        using (var report = JsonDocument.Parse(await department.GetStringAsync("/api/reports/school:2024/programme?county=640424")))
        {
            var pass = report.RootElement.GetProperty("fourStarPassRate").EnumerateArray().Single();
            (pass.GetProperty("applications").GetInt32(), pass.GetProperty("passed").GetInt32(), pass.GetProperty("verdict").GetString()).ShouldBe((1, 1, "符合"));
            var share = report.RootElement.GetProperty("fourStarShare").EnumerateArray().Single();
            (share.GetProperty("schools").GetInt32(), share.GetProperty("share").GetDecimal()).ShouldBe((2, 0.5m));
            report.RootElement.GetProperty("threeStarShare").EnumerateArray().Single().GetProperty("threeStarSchools").EnumerateArray()
                .Select(s => s.GetString()).ShouldBe([Other]);
        }

        // The same report as a workbook, a sheet per rule.
        var workbook = await department.GetByteArrayAsync("/api/reports/school:2024/programme.xlsx?county=640424");
        var pass2024 = Ingest.Documents.Forms.Xlsx.Read(new MemoryStream(workbook), "四星级通过率（第十五条）")!;
        (pass2024[(2, 1)], pass2024[(2, 3)], pass2024[(2, 4)], pass2024[(2, 6)], pass2024[(2, 7)]).ShouldBe(("泾源县", "1", "1", "100%", "符合"));
        Ingest.Documents.Forms.Xlsx.Read(new MemoryStream(workbook), "四星级及以上占比（第十三条）")![(2, 5)].ShouldBe("50%");

        // 2025: neither school applies. Each holds its level: the new year's 认定表 prints it as 已获星级.
        foreach (var (code, level) in new[] { (School, "四星级"), (Other, "三星级") })
        {
            var form = Ingest.Documents.Forms.Xlsx.Read(new MemoryStream(await bureau.GetByteArrayAsync($"/api/scoresheets/school:2025/{code}/form.xlsx")), "星级认定表")!;
            form[(3, 5)].ShouldBe(level);
        }

        // 第十四条: not in 2026 (two years without moving up), both in 2027 (2025, 2026 and 2027).
        (await DemotionsAsync(department, 2026)).ShouldBeEmpty();
        (await DemotionsAsync(department, 2027)).ShouldBe([(School, "四星级", "2024年起未晋级"), (Other, "三星级", "2024年起未晋级")]);

        // The department lowers one with its 文号; the school then holds 二星级 and leaves the list.
        var change = $"/api/levels/2027/{Other}/change";
        (await bureau.PostAsJsonAsync(change, new { year = 2027, action = "lower", stars = 2, decidedOn = "2027-10-10", document = "宁教信〔2027〕5号" }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var undocumented = await department.PostAsJsonAsync(change, new { year = 2027, action = "lower", stars = 2, decidedOn = "2027-10-10" });
        undocumented.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await undocumented.Content.ReadAsStringAsync()).ShouldContain("须填写文号");
        (await department.PostAsJsonAsync(change, new { year = 2027, action = "lower", stars = 2, decidedOn = "2027-10-10", document = "宁教信〔2027〕5号", reason = "连续三年未晋级" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await DemotionsAsync(department, 2027)).ShouldBe([(School, "四星级", "2024年起未晋级")]);
        var history = (await bureau.GetFromJsonAsync<JsonElement[]>($"/api/levels/history/{Other}"))!;
        history.Select(h => (h.GetProperty("year").GetInt32(), h.GetProperty("action").GetString(), h.GetProperty("level").GetString(), h.GetProperty("document").GetString()))
            .ShouldBe([(2024, "授牌", "三星级", "泾教发〔2024〕12号"), (2027, "降低", "二星级", "宁教信〔2027〕5号")]);

        var trail = await HostFixture.ScalarAsync<string>(cs, "SELECT string_agg(action, ',' ORDER BY id) FROM ingest.audit_event WHERE action LIKE 'level.%'");
        trail.ShouldBe("level.forward,level.award,level.award,level.change");
    }

    [Fact]
    public async Task The_programme_report_names_a_school_whose_level_depends_on_how_a_star_item_is_read()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host, FullFacts());
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "李老师");
        using var school = await HostFixture.ClientAsAsync(host, "school", School, "城关一小");
        using var department = await HostFixture.ClientAsAsync(host, "department", "640000", "教育厅张处长");
        var sheet = $"/api/scoresheets/school:2024/{School}";
        (await bureau.PostAsync("/api/counties/640424/scoresheets/school:2024", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await school.PutAsJsonAsync(sheet + "/applied-stars", new AppliedStarsBody(4))).StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var body in BulletinEntries(await GetAsync(bureau, sheet)))
        {
            (await bureau.PostAsJsonAsync(sheet + "/entries", body)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await ZeroAsync(bureau, $"/api/scoresheets/school:2024/{Other}");
        await FinaliseAndForwardAsync(bureau, School);

        // The department's column: the bulletin's figures but ★43 at 2.5 of 3 — 94 points, ★43 scored but not full.
        foreach (var body in BulletinEntries(await GetAsync(department, sheet), "department").Append(new EntryBody("43", "department", 2.5m, null, null, "现场核查", "厅专家")))
        {
            (await department.PostAsJsonAsync(sheet + "/entries", body)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var report = JsonDocument.Parse(await department.GetStringAsync("/api/reports/school:2024/programme?county=640424"));
        report.RootElement.GetProperty("reading").GetString()!.ShouldStartWith("现按“★项须得满分方为达标”认定");
        report.RootElement.GetProperty("readingDifferences").EnumerateArray()
            .Select(d => (d.GetProperty("schoolCode").GetString(), d.GetProperty("decidedBy").GetString(), d.GetProperty("level").GetString(), d.GetProperty("otherLevel").GetString()))
            .ShouldBe([(School, "教育厅评定", "三星级", "四星级")]);
    }

    private static async Task<string?[]> LateAsync(HttpClient http)
    {
        using var progress = JsonDocument.Parse(await http.GetStringAsync("/api/levels/2024/progress?county=640424"));
        return progress.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("text").GetString()).ToArray();
    }

    private static async Task<(string?, string?, string?)[]> StatesAsync(HttpClient http, int year) =>
        (await http.GetFromJsonAsync<JsonElement[]>($"/api/levels/{year}/?county=640424"))!
            .Select(d => (d.GetProperty("schoolCode").GetString(), d.GetProperty("state").GetString(), d.GetProperty("held").GetString())).ToArray();

    private static async Task<(string?, string?, string?)[]> DemotionsAsync(HttpClient http, int year)
    {
        using var report = JsonDocument.Parse(await http.GetStringAsync($"/api/reports/school:{year}/programme?county=640424"));
        return report.RootElement.GetProperty("demotions").EnumerateArray()
            .Select(d => (d.GetProperty("schoolCode").GetString(), d.GetProperty("level").GetString(), d.GetProperty("since").GetString())).ToArray();
    }
}
