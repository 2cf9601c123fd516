using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ingest.Application.Ingestion;
using Ingest.Core.Facts;
using Ingest.Data.Audit;
using Ingest.Data.Facts;
using Ingest.Data.Runs;
using Ingest.Host.Tests.Uploads;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Ingest.Host.Tests.Scoring.ScoresheetApiTests;

namespace Ingest.Host.Tests.Scoring;

/// <summary>整改 over real PostgreSQL and HTTP: the gap plan, items set by the bureau, answered by the school, verified or sent back, a data line passing after a run, overdue items and the county's workbook.</summary>
public class RemediationTests
{
    private const string School = "2164240001";
    private const string Sheet = "/api/scoresheets/school:2024/" + School;
    private const string Plan = "/api/remediation/school:2024/schools/" + School;
    private const string County = "/api/remediation/school:2024/counties/640424";

    [Fact]
    public async Task The_bureau_sets_the_plans_lines_the_school_answers_the_bureau_verifies_and_a_data_line_passes_after_a_run()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        // 城关一小 as in the bulletin (94.5), but with 12 主题慕课 where 19★ asks for 20: 91.5, and the ★ item stops it at 三星级.
        await SeedAsync(host, [.. FullFacts().Where(f => f.IndicatorCode != "cloud.theme_moocs"), new IndicatorFact(School, "cloud.theme_moocs", "2023-2024", "cloud", 12)]);
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "泾源县教育局李老师");
        using var school = await HostFixture.ClientAsAsync(host, "school", School, "城关一小王老师");
        using var auditor = await HostFixture.ClientAsAsync(host, "auditor", "640000", "审计处");
        (await bureau.PostAsync(Sheet, null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var body in BulletinEntries(await GetAsync(bureau, Sheet)))
        {
            (await bureau.PostAsJsonAsync(Sheet + "/entries", body)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // The plan: enough points for 四星级, but 19★ is not met, and it comes first with its figure against the threshold.
        var plan = (await school.GetFromJsonAsync<JsonElement>(Plan)).GetProperty("plan");
        (plan.GetProperty("total").GetDecimal(), plan.GetProperty("stars").GetInt32(), plan.GetProperty("targetStars").GetInt32(), plan.GetProperty("missing").GetDecimal())
            .ShouldBe((91.5m, 3, 4, 0m));
        plan.GetProperty("unmetVeto").EnumerateArray().Select(x => x.GetString()).ShouldBe(["19"]);
        var first = plan.GetProperty("lines")[0];
        (first.GetProperty("item").GetString(), first.GetProperty("recovers").GetDecimal(), first.GetProperty("blocks").GetBoolean()).ShouldBe(("19", 3m, true));
        first.GetProperty("figure").GetString()!.ShouldContain("12");
        first.GetProperty("figure").GetString()!.ShouldContain("20");
        plan.GetProperty("headline").GetString().ShouldStartWith("总分已够四星级，★项未达标 1 项：★19 ");
        var line22 = plan.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("item").GetString() == "22");
        (line22.GetProperty("recovers").GetDecimal(), line22.GetProperty("figure").ValueKind).ShouldBe((3m, JsonValueKind.Null));
        (plan.GetProperty("recoverable").GetDecimal() <= 100 - 91.5m).ShouldBeTrue();

        // The bureau sets two lines; a deadline already past, a second item on one line and a school setting one are refused.
        var clock = host.App.Services.GetRequiredService<TimeProvider>();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);
        var late = await bureau.PostAsJsonAsync(Plan + "/items", new { target = "22", deadline = today.AddDays(-1) });
        late.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await late.Content.ReadAsStringAsync()).ShouldContain("已过");
        var data = await (await bureau.PostAsJsonAsync(Plan + "/items", new { target = "19", deadline = today.AddDays(10) })).Content.ReadFromJsonAsync<JsonElement>();
        (data.GetProperty("status").GetString(), data.GetProperty("dataLine").GetBoolean()).ShouldBe(("待整改", true));
        data.GetProperty("problem").GetString().ShouldStartWith("★19 ");
        var onSite = await (await bureau.PostAsJsonAsync(Plan + "/items", new { target = "22", deadline = today.AddDays(20), problem = "缺少业务上云的佐证材料" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        (await bureau.PostAsJsonAsync(Plan + "/items", new { target = "19", deadline = today.AddDays(30) })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await school.PostAsJsonAsync(Plan + "/items", new { target = "1", deadline = today.AddDays(30) })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var id22 = onSite.GetProperty("id").GetInt64();

        // The school answers with a file; the bureau sends it back (with why), the school answers again, the bureau verifies.
        var answered = await school.PostAsync($"{Plan}/items/{id22}/submit/file?fileName=对接证明.png&note=已对接用户中心", new ByteArrayContent(EvidenceFiles.Png()));
        answered.StatusCode.ShouldBe(HttpStatusCode.OK, await answered.Content.ReadAsStringAsync());
        (await answered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("submitFile").GetString().ShouldBe("对接证明.png");
        (await auditor.GetAsync($"{Plan}/items/{id22}/file")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bureau.PostAsJsonAsync($"{Plan}/items/{id22}/verify", new { accept = false })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var returned = await (await bureau.PostAsJsonAsync($"{Plan}/items/{id22}/verify", new { accept = false, note = "截图看不清" })).Content.ReadFromJsonAsync<JsonElement>();
        returned.GetProperty("status").GetString().ShouldBe("退回");
        (await school.PostAsJsonAsync($"{Plan}/items/{id22}/submit", new { })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await school.PostAsJsonAsync($"{Plan}/items/{id22}/submit", new { note = "已补交清晰截图和对接文档" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var verified = await (await bureau.PostAsJsonAsync($"{Plan}/items/{id22}/verify", new { accept = true, note = "现场核实" })).Content.ReadFromJsonAsync<JsonElement>();
        (verified.GetProperty("status").GetString(), verified.GetProperty("verifiedBy").GetString()).ShouldBe(("已核实", "泾源县教育局李老师"));
        (await school.PostAsJsonAsync($"{Plan}/items/{id22}/submit", new { note = "再交一次" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        // A later run reads 25 主题慕课: the data line is marked 数据已达标 with that run, and still waits for the bureau.
        var services = host.App.Services;
        var run = await services.GetRequiredService<RunStore>().CreateRunAsync(
            new RunRequest("test", "school:2024", ["2023-2024"], ["640424"], ["cloud"], "test", null), CancellationToken.None);
        await using (var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await FactStore.WriteAsync(connection, tx, [new IndicatorFact(School, "cloud.theme_moocs", "2023-2024", "cloud", 25)], run, clock.GetUtcNow(), CancellationToken.None);
            await tx.CommitAsync();
        }

        var before = (await school.GetFromJsonAsync<JsonElement>(Plan)).GetProperty("items").EnumerateArray().Single(i => i.GetProperty("item").GetString() == "19");
        before.GetProperty("dataMet").ValueKind.ShouldBe(JsonValueKind.Null, "nothing is marked until a run ends");
        await services.GetRequiredService<RunFinisher>().FinishAsync(run);
        var after = (await school.GetFromJsonAsync<JsonElement>(Plan)).GetProperty("items").EnumerateArray().Single(i => i.GetProperty("item").GetString() == "19");
        after.GetProperty("dataMet").GetProperty("run").GetInt64().ShouldBe(run);
        after.GetProperty("dataMet").GetProperty("figure").GetString()!.ShouldContain("25");
        after.GetProperty("status").GetString().ShouldBe("待整改");

        // Time passes: 19's deadline is behind it, not answered: overdue, listed for the county and in its workbook.
        await HostFixture.ScalarAsync<int>(cs, $"UPDATE ingest.remediation_item SET deadline = current_date - 3 WHERE id = {data.GetProperty("id").GetInt64()} RETURNING 1");
        var county = await bureau.GetFromJsonAsync<JsonElement>(County);
        county.GetProperty("overdue").EnumerateArray().Select(x => x.GetInt64()).ShouldBe([data.GetProperty("id").GetInt64()]);
        using var workbook = await auditor.GetAsync(County + "/items.xlsx");
        workbook.StatusCode.ShouldBe(HttpStatusCode.OK);
        var overdue = Ingest.Documents.Forms.Xlsx.Read(new MemoryStream(await workbook.Content.ReadAsByteArrayAsync()), "逾期")!;
        (overdue[(2, 1)], overdue[(2, 3)], overdue[(2, 7)], overdue[(2, 8)]).ShouldBe(("泾源县城关第一小学", "19", "待整改", "逾期"));
        overdue[(2, 16)].ShouldStartWith($"采集批次 {run}：");
        overdue.Keys.Max(k => k.Row).ShouldBe(2, "the verified item is not overdue");
        using var schoolCounty = await school.GetAsync(County);
        schoolCounty.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var audit = await services.GetRequiredService<AuditStore>().ListAsync(new AuditFilter(OrgCode: School), CancellationToken.None);
        audit.Where(a => a.Action.StartsWith("remediation.", StringComparison.Ordinal)).Select(a => a.Action).Order(StringComparer.Ordinal).ShouldBe(
            ["remediation.create", "remediation.create", "remediation.data_met", "remediation.return", "remediation.submit", "remediation.submit", "remediation.verify"]);
    }
}
