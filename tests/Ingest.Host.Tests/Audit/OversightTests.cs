using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ingest.Core.Organisations;
using Ingest.Data.Organisations;
using Ingest.Host.Scoring;
using Ingest.Scoring.Sheets;
using Microsoft.Extensions.DependencyInjection;
using static Ingest.Host.Tests.Scoring.ScoresheetApiTests;

namespace Ingest.Host.Tests.Audit;

/// <summary>The department's oversight of a bureau: its 教育局评定 column against the data, over real PostgreSQL and HTTP.</summary>
[RunsLong]
public class OversightTests
{
    private const string School = "2164240001";
    private const string Sheet = "/api/scoresheets/school:2024/" + School;

    [Fact]
    public async Task A_bureau_that_raised_three_prefilled_lines_and_rated_a_two_star_school_three_star_is_listed_with_exactly_those()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);

        // The school's data is weak on three online items: few 主题 MOOCs, few 家庭教育 lessons, few active student spaces.
        await SeedAsync(host, [.. FullFacts().Select(f => f.IndicatorCode switch
        {
            "cloud.theme_moocs" => f with { Value = 1 },
            "cloud.family_education_lessons" => f with { Value = 1 },
            "cloud.student_space_active_rate" => f with { Value = 0.1m, Numerator = 100, Denominator = 1000 },
            _ => f,
        })]);
        await host.App.Services.GetRequiredService<OrganisationStore>().UpsertAsync(
            [new Organisation("640422", "西吉县", OrgLevel.County, "640400")], CancellationToken.None);
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "李老师");
        using var school = await HostFixture.ClientAsAsync(host, "school", School, "王老师");

        var sheet = await GetAsync(bureau, Sheet);
        var weak = sheet.Lines.Where(l => l.Auto?.Score is { } s && s < l.Points).Take(3).ToArray();
        weak.Length.ShouldBe(3, "three pre-filled lines below full points");

        // The bureau fills its column as a rater does, every pre-filled line left at its data score, then takes on-site points off
        // until its total is 79.5: 二星级 on the data.
        var onSite = BulletinEntries(sheet).ToList();
        foreach (var body in onSite)
        {
            (await bureau.PostAsJsonAsync(Sheet + "/entries", body)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var lowerable = onSite.Where(b => b is { Score: > 0, Counts: null, Flag: null } && b.Target != "22" && sheet.Lines.Single(l => l.Target == b.Target).Auto is null)
            .Select(b => (b.Target, Score: b.Score!.Value)).ToList();
        var total = Bureau(await GetAsync(bureau, Sheet)).Total;
        total.ShouldBeGreaterThan(79.5m);
        for (var i = 0; total > 79.5m; i = (i + 1) % lowerable.Count)
        {
            if (lowerable[i].Score == 0)
            {
                continue;
            }

            lowerable[i] = (lowerable[i].Target, lowerable[i].Score - 0.5m);
            (await bureau.PostAsJsonAsync(Sheet + "/entries", new EntryBody(lowerable[i].Target, "bureau", lowerable[i].Score, null, null, "现场核查", "李老师")))
                .StatusCode.ShouldBe(HttpStatusCode.OK);
            total = Bureau(await GetAsync(bureau, Sheet)).Total;
        }

        total.ShouldBe(79.5m);
        Bureau(await GetAsync(bureau, Sheet)).Stars!.Stars.ShouldBe(2);

        // Then it raises the three weak pre-filled lines to full points, each with its reason: 三星级.
        foreach (var line in weak)
        {
            (await bureau.PostAsJsonAsync(Sheet + "/entries", new EntryBody(line.Target, "bureau", line.Points, null, null, "学校提供了线下材料", "李老师")))
                .StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var raised = weak.Sum(l => l.Points - l.Auto!.Score!.Value);
        Bureau(await GetAsync(bureau, Sheet)).Stars!.Stars.ShouldBe(3);

        // The school rated itself 3 on item 22, which the bureau scored 0 on site.
        (await school.PostAsJsonAsync(Sheet + "/entries", new EntryBody("22", "self", 3, null, null, null, "王老师"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var department = await HostFixture.ClientAsAsync(host, "department", Organisation.RegionCode, "教育厅王处长");
        var county = await department.GetFromJsonAsync<JsonElement>("/api/oversight/school:2024/counties/640424");
        var rated = county.GetProperty("schools").EnumerateArray().ToArray();
        rated.Select(s => s.GetProperty("schoolCode").GetString()).ShouldBe([School], "the only school the bureau rated");
        var one = rated[0];
        one.GetProperty("overrides").EnumerateArray().Select(o => (o.GetProperty("item").GetString()!, o.GetProperty("delta").GetDecimal(), o.GetProperty("reason").GetString()!,
                o.GetProperty("by").GetString()!))
            .OrderBy(o => o.Item1).ShouldBe(weak.Select(l => (Ingest.Scoring.Rubrics.PrintedItems.Number(l.Target), l.Points - l.Auto!.Score!.Value, "学校提供了线下材料", "李老师"))
                .OrderBy(o => o.Item1));
        (one.GetProperty("bureauTotal").GetDecimal(), one.GetProperty("dataTotal").GetDecimal()).ShouldBe((79.5m + raised, 79.5m));
        (one.GetProperty("bureauLevel").GetString(), one.GetProperty("dataLevel").GetString(), one.GetProperty("levelsAbove").GetInt32()).ShouldBe(("三星级", "二星级", 1));
        one.GetProperty("beyond").GetDecimal().ShouldBe(raised);
        one.GetProperty("farAbove").GetBoolean().ShouldBeFalse("one level above the data, not two");
        one.GetProperty("onSiteGaps").EnumerateArray().Select(g => (g.GetProperty("item").GetString(), g.GetProperty("selfScore").GetDecimal(), g.GetProperty("bureauScore").GetDecimal()))
            .ShouldBe([("22", 3m, 0m)]);

        // The region: one line per county, 泾源县 with its three raised lines first.
        var region = (await department.GetFromJsonAsync<JsonElement>("/api/oversight/school:2024/region")).EnumerateArray().ToArray();
        region.Select(l => l.GetProperty("countyCode").GetString()).ShouldBe(["640424", "640422"]);
        (region[0].GetProperty("raised").GetInt32(), region[0].GetProperty("lowered").GetInt32(), region[0].GetProperty("beyond").GetDecimal(),
            region[0].GetProperty("levelAboveData").GetInt32()).ShouldBe((3, 0, raised, 1));

        // An auditor of 西吉县 sees none of it: not the county, and only its own county's line in the region.
        using var other = await HostFixture.ClientAsAsync(host, "auditor", "640422", "西吉县审计");
        (await other.GetAsync("/api/oversight/school:2024/counties/640424")).StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.NotFound);
        var own = (await other.GetFromJsonAsync<JsonElement>("/api/oversight/school:2024/region")).EnumerateArray().ToArray();
        own.Select(l => (l.GetProperty("countyCode").GetString(), l.GetProperty("raised").GetInt32())).ShouldBe([("640422", 0)]);
        using var auditor = await HostFixture.ClientAsAsync(host, "auditor", "640424", "泾源县审计");
        (await auditor.GetAsync("/api/oversight/school:2024/counties/640424")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bureau.GetAsync("/api/oversight/school:2024/counties/640424")).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "the bureau is the one overseen");

        // 抽查: the department draws with a seed; the draw is recorded with its population, and drawing again is refused.
        const string checks = "/api/oversight/school:2024/counties/640424/spot-checks";
        (await bureau.PostAsJsonAsync(checks, new { seed = 20261203 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var drawn = await department.PostAsJsonAsync(checks, new { seed = 20261203 });
        drawn.StatusCode.ShouldBe(HttpStatusCode.OK, await drawn.Content.ReadAsStringAsync());
        var draw = await drawn.Content.ReadFromJsonAsync<JsonElement>();
        draw.GetProperty("seed").GetInt64().ShouldBe(20261203);
        draw.GetProperty("population").EnumerateArray().Select(p => (p.GetProperty("code").GetString(), p.GetProperty("level").GetString())).ShouldBe([(School, "三星级")],
            "the only school its bureau decided at 二星级 or 三星级");
        draw.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("schoolCode").GetString()).ShouldBe([School]);
        var again = await department.PostAsJsonAsync(checks, new { seed = 1 });
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await again.Content.ReadAsStringAsync()).ShouldContain("随机种子 20261203），不能重抽");
        (await bureau.GetFromJsonAsync<JsonElement>(checks)).GetProperty("message").GetString().ShouldBe("教育厅尚未公布2024年度的抽查结果");

        // The department re-rates the school in its own column: nothing on site holds, 未达到星级.
        var conclude = checks + "/" + School + "/conclude";
        (await department.PostAsJsonAsync(conclude, new { note = "" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest, "its column is not filled yet");
        foreach (var line in (await GetAsync(department, Sheet)).Lines)
        {
            var body = line.Kind switch
            {
                "counts" => new EntryBody(line.Target, "department", null, new Dictionary<string, int>(), null, null, "王处长"),
                "flag" => new EntryBody(line.Target, "department", null, null, false, null, "王处长"),
                _ => new EntryBody(line.Target, "department", 0, null, null, "抽查复核", "王处长"),
            };
            (await department.PostAsJsonAsync(Sheet + "/entries", body)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var noNote = await department.PostAsJsonAsync(conclude, new { note = "" });
        noNote.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await noNote.Content.ReadAsStringAsync()).ShouldContain("教育厅评定为未达到星级，低于教育局评定的三星级，判定不合格须写明意见");
        var failed = await department.PostAsJsonAsync(conclude, new { note = "现场无佐证材料" });
        failed.StatusCode.ShouldBe(HttpStatusCode.OK, await failed.Content.ReadAsStringAsync());
        (await failed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString().ShouldBe("不合格");
        var closed = await department.PostAsJsonAsync(checks + "/close", new { note = "教育局评定偏高" });
        closed.StatusCode.ShouldBe(HttpStatusCode.OK, await closed.Content.ReadAsStringAsync());

        // Published: the bureau reads its county's result; 西吉县's auditor still sees nothing of it.
        var published = await bureau.GetFromJsonAsync<JsonElement>(checks);
        (published.GetProperty("outcome").GetString(), published.GetProperty("checks")[0].GetProperty("note").GetString()).ShouldBe(("不合格", "现场无佐证材料"));
        (await other.GetAsync(checks)).StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.NotFound);
        (await HostFixture.ScalarAsync<string>(cs, "SELECT string_agg(action, ',' ORDER BY id) FROM ingest.audit_event WHERE action LIKE 'spotcheck.%'"))
            .ShouldBe("spotcheck.draw,spotcheck.conclude,spotcheck.close");

        // The table of 第十五条: 泾源县 first, with its failed spot check among the conditions it meets.
        var table = (await department.GetFromJsonAsync<JsonElement>("/api/oversight/school:2024/table")).GetProperty("counties").EnumerateArray().ToArray();
        table.Select(l => l.GetProperty("countyCode").GetString()).ShouldBe(["640424", "640422"]);
        var jingyuan = table[0];
        (jingyuan.GetProperty("spotCheckFailures").GetInt32(), jingyuan.GetProperty("spotCheckOutcome").GetString(), jingyuan.GetProperty("beyond").GetDecimal())
            .ShouldBe((1, "不合格", raised));
        jingyuan.GetProperty("conditions").EnumerateArray().Select(c => c.GetString()).ShouldBe(["（三）抽查不合格 1 所"]);
        table[1].GetProperty("conditions").GetArrayLength().ShouldBe(0);

        // The department's decision, recorded and audited; 通报批评 needs its reason.
        const string decide = "/api/oversight/school:2024/counties/640424/decision";
        var unexplained = await department.PostAsJsonAsync(decide, new { criticised = true, quota = "3" });
        unexplained.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await unexplained.Content.ReadAsStringAsync()).ShouldContain("对泾源县通报批评须写明理由");
        (await department.PostAsJsonAsync(decide, new { criticised = true, quota = "三" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await department.PostAsJsonAsync(decide, new { criticised = true, quota = "3", note = "抽查不合格" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bureau.PostAsJsonAsync(decide, new { criticised = false, note = "申辩" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var workbook = Ingest.Documents.Forms.Xlsx.Read(new MemoryStream(await department.GetByteArrayAsync("/api/oversight/school:2024/table.xlsx")), "第十五条、第十三条")!;
        (workbook[(2, 1)], workbook[(2, 8)], workbook[(2, 9)], workbook[(2, 16)], workbook[(2, 17)], workbook[(2, 18)], workbook[(2, 19)])
            .ShouldBe(("泾源县", "1", "不合格", "（三）抽查不合格 1 所", "通报批评", "3", "抽查不合格"));
        (await HostFixture.ScalarAsync<string>(cs, "SELECT new_value::text FROM ingest.audit_event WHERE action = 'county.decision'"))
            .ShouldBe("""{"note": "抽查不合格", "quota": 3, "criticised": true}""");

        // 西吉县's auditor reads its own county's line only.
        (await other.GetFromJsonAsync<JsonElement>("/api/oversight/school:2024/table")).GetProperty("counties").EnumerateArray()
            .Select(l => l.GetProperty("countyCode").GetString()).ShouldBe(["640422"]);

        // The same table at the command line, as ops runs it for the department.
        var printed = await Cli.CliTests.RunWithInputAsync(null, ["oversight", "table", "--cycle", "school:2024"], ("ConnectionStrings__Ingest", cs));
        printed.ExitCode.ShouldBe(0, printed.StdErr);
        printed.StdOut.ShouldContain("2024年度学校星级评定 · 第十五条、第十三条情况表");
        printed.StdOut.ShouldContain("（三）抽查不合格 1 所");
        printed.StdOut.ShouldContain("通报批评，培育名额 3");
    }

    private static ColumnView Bureau(ScoresheetView sheet) => sheet.Columns.Single(c => c.Column == "bureau");
}
