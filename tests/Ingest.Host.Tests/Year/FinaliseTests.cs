using System.Net;
using System.Net.Http.Json;
using Ingest.Application.Rating;
using Ingest.Host.Scoring;
using Ingest.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Ingest.Host.Tests.Scoring.ScoresheetApiTests;

namespace Ingest.Host.Tests.Year;

/// <summary>
/// 备案 (第十一条（二）) over real PostgreSQL and HTTP: a bureau finalises its county once its column is complete; the
/// sheets then stand as they were, whatever the night brings, until the department reopens them with a reason.
/// </summary>
public class FinaliseTests
{
    private const string School = "2164240001";
    private const string Other = "2164240002";
    private const string Sheet = "/api/scoresheets/school:2024/" + School;
    private const string County = "/api/counties/640424/scoresheets/school:2024";

    [Fact]
    public async Task A_finalised_county_stands_as_it_was_until_the_department_reopens_it_with_a_reason()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host, FullFacts());
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "李老师");
        using var school = await HostFixture.ClientAsAsync(host, "school", School, "城关一小");
        using var department = await HostFixture.ClientAsAsync(host, "department", "640000", "教育厅张处长");
        (await bureau.PostAsync(County, null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Not while the bureau's column waits: each school that waits is named.
        var early = await bureau.PostAsync(County + "/finalise", null);
        early.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var why = await early.Content.ReadAsStringAsync();
        why.ShouldContain("泾源县城关第一小学（2164240001）：待填");
        why.ShouldContain("泾源县城关第二小学（2164240002）：待填");

        // The bureau completes both schools: the first the bulletin's 94.5, the second 0 on every line.
        foreach (var body in BulletinEntries(await GetAsync(bureau, Sheet)))
        {
            (await bureau.PostAsJsonAsync(Sheet + "/entries", body)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await ZeroAsync(bureau, "/api/scoresheets/school:2024/" + Other);

        (await department.PostAsync(County + "/finalise", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "the bureau finalises its own county");
        (await bureau.PostAsync(County + "/finalise", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var before = await GetAsync(bureau, Sheet);

        // Frozen: the school's and the bureau's columns take nothing, each refusal saying why; the department's stays open.
        var late = await bureau.PostAsJsonAsync(Sheet + "/entries", new EntryBody("1", "bureau", 1, null, null, "补评", "李老师"));
        late.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await late.Content.ReadAsStringAsync()).ShouldContain("教育局评定栏已备案");
        (await school.PostAsJsonAsync(Sheet + "/entries", new EntryBody("1", "self", 1, null, null, null, "城关一小"))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await school.PutAsJsonAsync(Sheet + "/applied-stars", new AppliedStarsBody(5))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await department.PostAsJsonAsync(Sheet + "/entries", new EntryBody("1", "department", 1, null, null, null, "厅专家"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var form = await bureau.GetByteArrayAsync(Sheet + "/form.xlsx");

        // A night that changes the facts (the application index falls below the region's) re-scores nothing finalised.
        await SeedAsync(host, FullFacts(appIndexPoints: 100));
        (await bureau.PostAsync(County, null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await host.App.Services.GetRequiredService<ScoresheetPrefill>().RescoreAfterRunAsync(0, ["2023", "2023-2024"], CancellationToken.None);
        var after = await GetAsync(bureau, Sheet);
        after.Columns.Single(c => c.Column == "bureau").ShouldBeEquivalentTo(before.Columns.Single(c => c.Column == "bureau"));
        after.Lines.Single(l => l.Target == "23").Auto!.Score.ShouldBe(before.Lines.Single(l => l.Target == "23").Auto!.Score);
        ReadForm(await bureau.GetByteArrayAsync(Sheet + "/form.xlsx")).ShouldBe(ReadForm(form), "the 认定表's school and bureau columns print as finalised");

        // The department reopens one school with a reason: it takes entries again and follows the facts again.
        (await bureau.PostAsJsonAsync(Sheet + "/reopen", new ReasonBody("复核"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await department.PostAsJsonAsync(Sheet + "/reopen", new ReasonBody(""))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await department.PostAsJsonAsync(Sheet + "/reopen", new ReasonBody("学校申诉，复核第1项"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bureau.PostAsJsonAsync(Sheet + "/entries", new EntryBody("1", "bureau", 1, null, null, "复核后补评", "李老师"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bureau.PostAsync(County, null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await GetAsync(bureau, Sheet)).Lines.Single(l => l.Target == "23").Auto!.Score.ShouldBe(0m, "reopened, 23★ follows the new application index");
        (await bureau.PostAsJsonAsync("/api/scoresheets/school:2024/" + Other + "/entries", new EntryBody("1", "bureau", 1, null, null, "补评", "李老师")))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict, "the other school stays finalised");

        // Both states are kept: finalised, then reopened with the department's reason.
        var stages = await HostFixture.ScalarAsync<string>(cs, $"""
            SELECT string_agg(action || ':' || coalesce(reason, '') || ':' || done_by, ' | ' ORDER BY st.id) FROM ingest.scoresheet_stage st
            JOIN ingest.scoresheet s ON s.id = st.scoresheet_id WHERE s.org_code = '{School}'
            """);
        stages.ShouldBe("finalise::李老师 | reopen:学校申诉，复核第1项:教育厅张处长");
        var page = await department.GetStringAsync("/sheets/school:2024/" + School);
        page.ShouldContain("李老师 备案（定稿）");
        page.ShouldContain("教育厅张处长 重新开放，理由：学校申诉，复核第1项");
    }

    private static Dictionary<(int Row, int Column), string> ReadForm(byte[] workbook) =>
        Ingest.Documents.Forms.Xlsx.Read(new MemoryStream(workbook), "星级认定表")!.Where(c => c.Key.Column != 6).ToDictionary();
}
