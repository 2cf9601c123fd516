using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ingest.Testing;
using static Ingest.Host.Tests.Scoring.ScoresheetApiTests;

namespace Ingest.Host.Tests.Year;

/// <summary>
/// The cultivation roster (第六–九条) over real PostgreSQL and HTTP: kept by the department from a file, all or nothing,
/// read by a bureau for its county, and the base of the 30% three-star share (第十一条（二）).
/// </summary>
public class RosterTests
{
    private const string School = "2164240001";
    private const string Other = "2164240002";

    private static ByteArrayContent Csv(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task The_department_imports_the_roster_all_or_nothing_and_the_three_star_share_counts_it()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host, FullFacts());
        using var department = await HostFixture.ClientAsAsync(host, "department", "640000", "教育厅张处长");
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "李老师");

        // Before any roster the share cannot be judged: the report says what is missing instead of counting the sheets.
        (await bureau.PostAsync("/api/counties/640424/scoresheets/school:2024", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var before = await ShareAsync(bureau);
        (before.GetProperty("cultivationSchools").GetInt32(), before.GetProperty("verdict").GetString()).ShouldBe((0, "培育名单未录入"));

        // A file with a wrong line is refused whole, each problem named by its line; nothing of it is kept.
        var bad = await department.PostAsync("/api/roster/2024/import?fileName=培育名单.csv", Csv(
            "学校标识码,学校名称,类别,批复文号,批复日期\n" +
            $"{School},泾源县城关第一小学,自治区培育对象,宁教信〔2024〕8号,2024-03-10\n" +
            $"{Other},泾源县城关第二小学,培育学校,,\n" +
            "2164249999,,自治区培育对象,,2024-13-01\n"));
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await bad.Content.ReadAsStringAsync();
        problem.ShouldContain("第 3 行：类别“培育学校”无法识别");
        problem.ShouldContain("第 4 行：机构目录中没有 2164249999");
        (await ListAsync(department)).ShouldBeEmpty();

        // The corrected file: both schools, one the department's 培育对象 and one the county's own (第九条), counted apart.
        var good = await department.PostAsync("/api/roster/2024/import?fileName=培育名单.csv", Csv(
            "学校标识码,学校名称,类别,批复文号,批复日期\n" +
            $"{School},泾源县城关第一小学,自治区培育对象,宁教信〔2024〕8号,2024-03-10\n" +
            $"{Other},泾源县城关第二小学,县级培育学校,,\n"));
        good.StatusCode.ShouldBe(HttpStatusCode.OK, await good.Content.ReadAsStringAsync());
        var listed = await ListAsync(bureau);
        listed.Select(e => (e.GetProperty("schoolCode").GetString(), e.GetProperty("kind").GetString(), e.GetProperty("approvalDoc").GetString()))
            .ShouldBe([(School, "自治区培育对象", "宁教信〔2024〕8号"), (Other, "县级培育学校", null)]);
        (await ShareAsync(bureau)).GetProperty("cultivationSchools").GetInt32().ShouldBe(1, "county-level cultivation schools are not the department's 培育对象");

        // A file of the county again replaces the county's roster: the second school becomes a 培育对象 too.
        (await department.PutAsJsonAsync($"/api/roster/2024/{Other}", new { kind = "自治区培育对象", approvalDoc = "宁教信〔2024〕9号", approvalDate = "2024-03-12" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ShareAsync(bureau)).GetProperty("cultivationSchools").GetInt32().ShouldBe(2);

        // Only the department keeps it; a bureau reads its own county and no other.
        (await bureau.PostAsync("/api/roster/2024/import", Csv("学校标识码,类别\n" + School + ",自治区培育对象\n"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await bureau.DeleteAsync($"/api/roster/2024/{School}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await bureau.GetAsync("/api/roster/2024/?county=640422")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await department.DeleteAsync($"/api/roster/2024/{Other}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await ListAsync(department)).Length.ShouldBe(1);

        var trail = await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.audit_event WHERE action LIKE 'roster.%' AND actor = '教育厅张处长'");
        trail.ShouldBe(3, "the import, the change and the removal are each audited; the refused file is not");
    }

    private static async Task<JsonElement[]> ListAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement[]>("/api/roster/2024/?county=640424"))!;

    private static async Task<JsonElement> ShareAsync(HttpClient http)
    {
        using var report = JsonDocument.Parse(await http.GetStringAsync("/api/reports/school:2024/programme?county=640424"));
        return report.RootElement.GetProperty("threeStarShare").EnumerateArray().Single().Clone();
    }
}
