using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Ingest.Core.Organisations;
using Ingest.Core.Oversight;
using Ingest.Data.Organisations;
using Ingest.Data.Runs;
using Ingest.Host.Scoring;
using Ingest.Scoring.Oversight;
using Microsoft.Extensions.DependencyInjection;
using static Ingest.Host.Tests.Scoring.ScoresheetApiTests;

namespace Ingest.Host.Tests.Audit;

/// <summary>The county evaluation visit of seed 004 over real PostgreSQL and HTTP: 汇报, 事前采集, 实地查看, 座谈交流 and the experts' entries.</summary>
[RunsLong]
public class VisitTests
{
    private const string Visit = "/api/visits/county:2024/640424";

    [Fact]
    public async Task A_visit_takes_the_report_the_data_of_a_run_a_drawn_sample_and_the_talks_and_lists_each_experts_entries()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host, FullFacts());
        var services = host.App.Services;
        await services.GetRequiredService<OrganisationStore>().UpsertAsync(
        [
            new Organisation("640422", "西吉县", OrgLevel.County, "640400"),
            new Organisation("2164220001", "西吉县实验小学", OrgLevel.School, "640422", SchoolType: "小学"),
            new Organisation("2164240003", "泾源县第一中学", OrgLevel.School, "640424", SchoolType: "初级中学"),
            new Organisation("2164240004", "泾源县黄花教学点", OrgLevel.School, "640424", SchoolType: "教学点", IsTeachingPoint: true),
        ], CancellationToken.None);
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "泾源县教育局李老师");
        using var expertA = await HostFixture.ClientAsAsync(host, "department", Organisation.RegionCode, "王专家");
        using var expertB = await HostFixture.ClientAsAsync(host, "department", Organisation.RegionCode, "马专家");
        using var stranger = await HostFixture.ClientAsAsync(host, "auditor", "640422", "西吉县审计");

        // 听取汇报: 2000字以内, white space not counted; typed, then replaced by a Word file.
        var tooLong = await bureau.PostAsJsonAsync(Visit + "/report", new { text = new string('字', 2001) });
        tooLong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await tooLong.Content.ReadAsStringAsync()).ShouldContain("汇报有 2001 字，超过 2000 字（不计空白）");
        (await bureau.PostAsJsonAsync(Visit + "/report", new { text = new string('字', 1000) + "\n\n" + new string('字', 1000) })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var notWord = await bureau.PostAsync(Visit + "/report/file?fileName=汇报.docx", new ByteArrayContent([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]));
        notWord.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await notWord.Content.ReadAsStringAsync()).ShouldContain("汇报.docx：无法读取 Word 文档");
        (await bureau.PostAsync(Visit + "/report/file?fileName=汇报.exe", new ByteArrayContent([0x4D, 0x5A, 0x90, 0]))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var word = await bureau.PostAsync(Visit + "/report/file?fileName=泾源县汇报.docx", new ByteArrayContent(Docx("一、取得的成绩", "全县学校在线课堂全覆盖。")));
        word.StatusCode.ShouldBe(HttpStatusCode.OK, await word.Content.ReadAsStringAsync());
        var report = (await word.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("report");
        (report.GetProperty("text").GetString(), report.GetProperty("length").GetInt32(), report.GetProperty("source").GetString(), report.GetProperty("by").GetString())
            .ShouldBe(("一、取得的成绩\n全县学校在线课堂全覆盖。", 19, "泾源县汇报.docx", "泾源县教育局李老师"));

        // 调阅数据: only an ended run; then the county sheet as it stood at its end.
        (await bureau.PostAsJsonAsync(Visit + "/data", new { run = 1 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await (await expertA.PostAsJsonAsync(Visit + "/data", new { run = 999 })).Content.ReadAsStringAsync()).ShouldContain("没有编号为 999 的采集批次");
        var run = await HostFixture.ScalarAsync<long>(cs, "SELECT max(id) FROM ingest.run");
        (await (await expertA.PostAsJsonAsync(Visit + "/data", new { run })).Content.ReadAsStringAsync()).ShouldContain($"采集批次 {run} 尚未结束");
        await services.GetRequiredService<RunStore>().CompleteRunIfDoneAsync(run, null, CancellationToken.None);
        (await expertA.PostAsJsonAsync(Visit + "/data", new { run })).StatusCode.ShouldBe(HttpStatusCode.OK);

        // 实地查看: drawn once from the seed, every 学段 of the county; anyone can draw it again from the list.
        var drawn = await expertA.PostAsJsonAsync(Visit + "/schools", new { seed = 7 });
        drawn.StatusCode.ShouldBe(HttpStatusCode.OK, await drawn.Content.ReadAsStringAsync());
        var schools = (await drawn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("schools");
        var population = schools.GetProperty("population").EnumerateArray()
            .Select(p => new SpotCheckCandidate(p.GetProperty("code").GetString()!, p.GetProperty("name").GetString()!, p.GetProperty("stratum").GetString()!, 0)).ToArray();
        population.Select(p => p.Code).ShouldBe(["2164240001", "2164240002", "2164240003", "2164240004"], "the county's active schools, not 西吉县's");
        schools.GetProperty("drawn").EnumerateArray().Select(d => d.GetProperty("code").GetString())
            .ShouldBe(SpotCheckSample.Draw(population, 7, 4).Select(s => s.Code));
        (await expertA.PostAsJsonAsync(Visit + "/schools", new { seed = 8 })).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        // 座谈交流: who spoke, where, what.
        (await (await expertA.PostAsJsonAsync(Visit + "/notes", new { speaker = "校长", issue = "带宽不足" })).Content.ReadAsStringAsync()).ShouldContain("发言人应为学校领导、教师、学生之一");
        (await (await expertA.PostAsJsonAsync(Visit + "/notes", new { speaker = "教师", school = "2164220001", issue = "带宽不足" })).Content.ReadAsStringAsync())
            .ShouldContain("2164220001 不是本县（区）的学校");
        (await expertA.PostAsJsonAsync(Visit + "/notes", new { speaker = "教师", school = "2164240003", issue = "专递课堂接收端设备老化" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bureau.PostAsJsonAsync(Visit + "/notes", new { speaker = "学生", issue = "想多上在线课" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // The experts score in the county sheet's 教育厅评定 column, each signing their own entries.
        var sheet = await GetAsync(expertA, "/api/scoresheets/county:2024/640424");
        var onSite = sheet.Lines.Where(l => l.Kind == "score" && l.Auto is null).Take(2).ToArray();
        (await expertA.PostAsJsonAsync("/api/scoresheets/county:2024/640424/entries", new EntryBody(onSite[0].Target, null, 0, null, null, "现场查看"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await expertB.PostAsJsonAsync("/api/scoresheets/county:2024/640424/entries", new EntryBody(onSite[1].Target, null, 0, null, null, "座谈了解"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var visit = await bureau.GetFromJsonAsync<JsonElement>(Visit);
        visit.GetProperty("experts").EnumerateArray().Select(e => (e.GetProperty("by").GetString(), e.GetProperty("items").EnumerateArray().Single().GetString()))
            .ShouldBe([("王专家", Ingest.Scoring.Rubrics.PrintedItems.Number(onSite[0].Target)), ("马专家", Ingest.Scoring.Rubrics.PrintedItems.Number(onSite[1].Target))], ignoreOrder: true);
        visit.GetProperty("visit").GetProperty("data").GetProperty("run").GetInt64().ShouldBe(run);
        visit.GetProperty("dataSheet").GetProperty("asOf").GetDateTimeOffset().ShouldBe(
            (await services.GetRequiredService<RunReader>().FindRunsAsync([run], CancellationToken.None)).Single().FinishedAt!.Value);
        visit.GetProperty("visit").GetProperty("notes").EnumerateArray().Select(n => (n.GetProperty("speaker").GetString(), n.GetProperty("schoolName").GetString()))
            .ShouldBe([("教师", "泾源县第一中学")]);
        (await stranger.GetAsync(Visit)).StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.NotFound);
        (await bureau.GetAsync("/api/visits/school:2024/640424")).StatusCode.ShouldBe(HttpStatusCode.BadRequest, "the visit is of the county standard");
        (await HostFixture.ScalarAsync<string>(cs, "SELECT string_agg(action, ',' ORDER BY id) FROM ingest.audit_event WHERE action LIKE 'visit.%'"))
            .ShouldBe("visit.report,visit.report,visit.data,visit.draw,visit.note");

        // The same visit at the command line.
        var shown = await Cli.CliTests.RunWithInputAsync(null, ["visit", "show", "--cycle", "county:2024", "--county", "640424"], ("ConnectionStrings__Ingest", cs));
        shown.ExitCode.ShouldBe(0, shown.StdErr);
        shown.StdOut.ShouldContain("听取汇报：19 字（泾源县教育局李老师");
        shown.StdOut.ShouldContain($"调阅数据：采集批次 {run}");
        shown.StdOut.ShouldContain("实地查看：随机种子 7，");
        shown.StdOut.ShouldContain("座谈交流：教师（泾源县第一中学）：专递课堂接收端设备老化");
    }

    private static byte[] Docx(params string[] paragraphs)
    {
        using var buffer = new MemoryStream();
        using (var document = WordprocessingDocument.Create(buffer, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            main.Document = new Document(new Body(paragraphs.Select(p => new Paragraph(new Run(new Text(p))))));
        }

        return buffer.ToArray();
    }
}
