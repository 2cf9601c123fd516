using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Ingest.Application.Rating;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Data.Audit;
using Ingest.Data.Scoresheets;
using Ingest.Host.Tests.Uploads;
using Microsoft.Extensions.DependencyInjection;
using static Ingest.Host.Tests.Scoring.ScoresheetApiTests;

namespace Ingest.Host.Tests.Scoring;

/// <summary>佐证材料 over real PostgreSQL and HTTP: uploaded by the school and its bureau, read by raters and auditors, bounded, audited, kept with a 备案 sheet.</summary>
public class EvidenceFileTests
{
    private const string School = "2164240001";
    private const string Files = "/api/scoresheets/school:2024/" + School + "/files";

    [Fact]
    public async Task A_school_uploads_evidence_behind_an_item_that_its_bureau_and_auditors_read_and_that_stays_once_the_sheet_is_finalised()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs, settings: new Dictionary<string, string?>
        {
            ["Evidence:MaxFileBytes"] = "40000",
            ["Evidence:MaxSchoolBytes"] = "60000",
        });
        await SeedAsync(host, FullFacts());
        using var school = await HostFixture.ClientAsAsync(host, "school", School, "城关一小王老师");
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "泾源县教育局李老师");
        using var auditor = await HostFixture.ClientAsAsync(host, "auditor", "640000", "审计处");
        using var department = await HostFixture.ClientAsAsync(host, "department", "640000", "教育厅");
        using var otherSchool = await HostFixture.ClientAsAsync(host, "school", "2164240002", "城关二小");

        // Item 30's certificates: a photo sent under a PDF's name is stored as what it is.
        var photo = EvidenceFiles.Png();
        var uploaded = await school.PostAsync(Files + "?target=30&fileName=获奖证书.pdf", new ByteArrayContent(photo));
        uploaded.StatusCode.ShouldBe(HttpStatusCode.Created, await uploaded.Content.ReadAsStringAsync());
        var first = await uploaded.Content.ReadFromJsonAsync<JsonElement>();
        (first.GetProperty("item").GetString(), first.GetProperty("file").GetString(), first.GetProperty("kind").GetString(), first.GetProperty("uploadedBy").GetString())
            .ShouldBe(("30", "获奖证书.pdf.png", "PNG 图片", "城关一小王老师"));
        first.GetProperty("sha256").GetString().ShouldBe(Convert.ToHexStringLower(SHA256.HashData(photo)));

        // The bureau adds a Word file behind a part of item 16 by its printed number; the content store keeps each content once.
        var word = await bureau.PostAsync(Files + "?target=16.2&fileName=上传资源统计.docx", new ByteArrayContent(EvidenceFiles.Docx("上传资源统计")));
        word.StatusCode.ShouldBe(HttpStatusCode.Created, await word.Content.ReadAsStringAsync());
        (await word.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("target").GetString().ShouldBe("16/uploads");
        (await school.PostAsync(Files + "?target=30&fileName=again.png", new ByteArrayContent(photo))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var stored = Path.Combine(Path.GetTempPath(), "ingest-test-evidence", first.GetProperty("sha256").GetString()![..2]);
        Directory.EnumerateFiles(stored, "*", SearchOption.AllDirectories).Count(f => f.EndsWith(first.GetProperty("sha256").GetString()!, StringComparison.Ordinal)).ShouldBe(1);

        // Read by whoever reads the sheet: shown in the browser if a picture, saved if a Word file.
        var id = first.GetProperty("id").GetInt64();
        foreach (var reader in new[] { bureau, auditor, department })
        {
            using var shown = await reader.GetAsync($"{Files}/{id}");
            shown.StatusCode.ShouldBe(HttpStatusCode.OK);
            shown.Content.Headers.ContentType!.MediaType.ShouldBe("image/png");
            shown.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("inline");
            (await shown.Content.ReadAsByteArrayAsync()).ShouldBe(photo);
        }

        var wordId = (await (await bureau.GetAsync(Files)).Content.ReadFromJsonAsync<JsonElement[]>())!.Single(f => f.GetProperty("item").GetString() == "16.2").GetProperty("id").GetInt64();
        using (var saved = await auditor.GetAsync($"{Files}/{wordId}"))
        {
            saved.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
            saved.Headers.GetValues("Content-Security-Policy").Single().ShouldStartWith("sandbox");
        }

        (await otherSchool.GetAsync($"{Files}/{id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await otherSchool.PostAsync(Files + "?target=30&fileName=x.png", new ByteArrayContent(EvidenceFiles.Png(shade: 9)))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await auditor.PostAsync(Files + "?target=30&fileName=x.png", new ByteArrayContent(EvidenceFiles.Png(shade: 9)))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // Hostile or wrong uploads are refused with the file named and why; nothing is kept.
        async Task<string> RefusedAsync(string query, byte[] bytes)
        {
            using var answer = await school.PostAsync(Files + query, new ByteArrayContent(bytes));
            answer.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            return await answer.Content.ReadAsStringAsync();
        }

        (await RefusedAsync("?target=30&fileName=证书.exe", [0x4D, 0x5A, 0x90, 0])).ShouldContain("证书.exe：是可执行程序或脚本");
        (await RefusedAsync("?target=30&fileName=证书.pdf", EvidenceFiles.Pdf(extra: " /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"))).ShouldContain("证书.pdf：PDF 含有打开时会运行的内容");
        (await RefusedAsync("?target=99&fileName=a.png", EvidenceFiles.Png(shade: 1))).ShouldContain("评分表中没有指标“99”");
        (await RefusedAsync("?target=30&fileName=大图.png", new byte[50000])).ShouldContain("大图.png：超过每个文件 40 KB 的上限");
        (await school.PostAsync(Files + "?target=30&fileName=第三张.png", new ByteArrayContent(EvidenceFiles.Png(shade: 2).Concat(new byte[30000]).ToArray())))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var per = await RefusedAsync("?target=30&fileName=第四张.png", EvidenceFiles.Png(shade: 3).Concat(new byte[30000]).ToArray());
        per.ShouldContain("第四张.png：本校 2024 年度的佐证材料已有");
        per.ShouldContain("超过每校 59 KB 的上限");
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.evidence_file")).ShouldBe(4);

        // Replaced and removed files stay in the trail with who and why; a removal needs its reason.
        var replaced = await school.PostAsync(Files + $"?target=30&fileName=获奖证书（清晰）.png&replaces={id}", new ByteArrayContent(EvidenceFiles.Png(shade: 60)));
        replaced.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await school.PostAsJsonAsync($"{Files}/{wordId}/remove", new { })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bureau.PostAsJsonAsync($"{Files}/{wordId}/remove", new { why = "传错了学校" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var list = (await (await auditor.GetAsync(Files)).Content.ReadFromJsonAsync<JsonElement[]>())!;
        list.Select(f => (f.GetProperty("file").GetString(), f.GetProperty("live").GetBoolean(), f.GetProperty("removedWhy").GetString()))
            .ShouldBe([("获奖证书.pdf.png", false, "已替换"), ("上传资源统计.docx", false, "传错了学校"), ("again.png", true, null), ("第三张.png", true, null), ("获奖证书（清晰）.png", true, null)]);
        var audit = await host.App.Services.GetRequiredService<AuditStore>().ListAsync(new AuditFilter(OrgCode: School), CancellationToken.None);
        audit.Where(a => a.Action.StartsWith("evidence.", StringComparison.Ordinal)).Select(a => a.Action).Order(StringComparer.Ordinal)
            .ShouldBe(["evidence.remove", "evidence.replace", "evidence.upload", "evidence.upload", "evidence.upload", "evidence.upload"]);

        // Once the bureau's 备案 freezes the sheet, its files are kept: nothing is added, replaced or removed.
        (await bureau.PostAsync("/api/scoresheets/school:2024/" + School, null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var services = host.App.Services;
        var sheet = (await services.GetRequiredService<ScoresheetReader>().FindAsync(School, "school-2022", EvaluationCycle.Parse("school:2024"), CancellationToken.None))!.Value;
        await services.GetRequiredService<ScoresheetStore>().SetFrozenAsync([sheet], ScoresheetService.FinalisedByBureau, null, Actor.CommandLine("测试"), CancellationToken.None);
        var live = list.Last().GetProperty("id").GetInt64();
        var locked = await bureau.PostAsJsonAsync($"{Files}/{live}/remove", new { why = "不需要了" });
        locked.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await locked.Content.ReadAsStringAsync()).ShouldContain("评分表已备案：佐证材料随表保存");
        (await school.PostAsync(Files + "?target=31&fileName=论文.pdf", new ByteArrayContent(EvidenceFiles.Pdf()))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await auditor.GetAsync($"{Files}/{live}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_on_site_score_without_a_file_behind_it_is_marked_for_the_rater_and_the_mark_goes_once_a_file_is_there()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host, FullFacts());
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "泾源县教育局李老师");
        const string Sheet = "/api/scoresheets/school:2024/" + School;
        (await bureau.PostAsync(Sheet, null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bureau.PostAsJsonAsync(Sheet + "/entries", new { target = "30", counts = new Dictionary<string, int> { ["awards"] = 4 } })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bureau.PostAsJsonAsync(Sheet + "/entries", new { target = "19", score = 0m, reason = "现场核实：课表与平台不符" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        static string Line(string html, string anchor)
        {
            var start = html.IndexOf($"<tr id=\"t-{anchor}\"", StringComparison.Ordinal);
            return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
        }

        var page = await bureau.GetStringAsync("/sheets/school:2024/" + School);
        Line(page, "30").ShouldContain("无佐证");
        Line(page, "31").ShouldNotContain("无佐证", Case.Sensitive, "nothing entered, nothing to warn of");
        Line(page, "19").ShouldNotContain("无佐证", Case.Sensitive, "a line the data fills has the data behind it");

        (await bureau.PostAsync(Files + "?target=30&fileName=证书.png", new ByteArrayContent(EvidenceFiles.Png()))).StatusCode.ShouldBe(HttpStatusCode.Created);
        page = await bureau.GetStringAsync("/sheets/school:2024/" + School);
        Line(page, "30").ShouldNotContain("无佐证");
        Line(page, "30").ShouldContain("佐证材料（1）");
        Line(page, "30").ShouldContain("<img src=\"/api/scoresheets/school:2024/2164240001/files/");
    }
    [Fact]
    public async Task A_claim_and_a_fill_form_row_name_the_files_behind_their_line_and_a_name_that_is_not_there_refuses_the_file()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host, FullFacts());
        using var school = await HostFixture.ClientAsAsync(host, "school", School, "城关一小王老师");
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "泾源县教育局李老师");
        const string Sheet = "/api/scoresheets/school:2024/" + School;
        (await school.PostAsync(Files + "?target=30&fileName=获奖证书.png", new ByteArrayContent(EvidenceFiles.Png()))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await school.PostAsync(Files + "?target=31&fileName=论文.pdf", new ByteArrayContent(EvidenceFiles.Pdf()))).StatusCode.ShouldBe(HttpStatusCode.Created);

        // The claims file: 佐证材料 names files of the line claimed; a file of another line, or none, refuses the whole file.
        const string Header = "学校标识码,学校名称,序号,指标,分值,自评得分,自评数据,说明,佐证材料";
        Task<HttpResponseMessage> ClaimAsync(params string[] rows) => school.PostAsync("/api/claims/school:2024/import?fileName=自评.csv",
            new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(string.Join("\r\n", rows.Prepend(Header)))));
        using (var refused = await ClaimAsync($"{School},,30,,3,2,,,获奖证书.png", $"{School},,31,,2,1,,,获奖证书.png", $"{School},,32,,2,1,,,没有这个.pdf"))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            var body = await refused.Content.ReadAsStringAsync();
            body.ShouldContain("第 3 行“佐证材料”列：指标 31 下没有名为“获奖证书.png”的佐证材料（该项现有：论文.pdf；");
            body.ShouldContain("第 4 行“佐证材料”列：指标 32 下没有名为“没有这个.pdf”的佐证材料（该项还没有上传佐证材料；");
            body.ShouldNotContain("第 2 行");
        }

        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.claim")).ShouldBe(0);
        using (var taken = await ClaimAsync($"{School},,30,,3,2,,,获奖证书.png", $"{School},,31,,2,1,,见附件,论文.pdf"))
        {
            taken.StatusCode.ShouldBe(HttpStatusCode.OK, await taken.Content.ReadAsStringAsync());
        }

        (await HostFixture.ScalarAsync<string>(cs, "SELECT array_to_string(evidence, '|') FROM ingest.claim WHERE target = '30'")).ShouldBe("获奖证书.png");
        (await HostFixture.ScalarAsync<string>(cs,
            "SELECT array_to_string(evidence, '|') FROM ingest.scoresheet_entry WHERE target = '31' AND rating_column = 'self' ORDER BY id DESC LIMIT 1")).ShouldBe("论文.pdf");

        // The 填报表: the bureau names the certificate behind its count of awards; the next download holds the name, and
        // importing it again changes nothing.
        var form = await bureau.GetByteArrayAsync($"{Sheet}/fill.xlsx?column=bureau");
        var filled = FormFiller.Fill(form, [("30#awards", "填写", "4"), ("30#awards", "佐证材料", "获奖证书.png")]);
        using (var imported = await bureau.PostAsync($"{Sheet}/import?fileName=填报表.xlsx", new ByteArrayContent(filled)))
        {
            imported.StatusCode.ShouldBe(HttpStatusCode.OK, await imported.Content.ReadAsStringAsync());
        }

        var again = await bureau.GetByteArrayAsync($"{Sheet}/fill.xlsx?column=bureau");
        var cells = Ingest.Documents.Forms.Xlsx.Read(new MemoryStream(again), "填报")!;
        var row = cells.Single(c => c.Key.Column == 1 && c.Value == "30#awards").Key.Row;
        cells[(row, 11)].ShouldBe("获奖证书.png");
        using (var unchanged = await bureau.PostAsync($"{Sheet}/import?fileName=填报表.xlsx", new ByteArrayContent(again)))
        {
            (await unchanged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("logged").GetInt32().ShouldBe(0);
        }

        // The sheet shows the name as a link to the file, in the column of whoever named it.
        var page = await bureau.GetStringAsync("/sheets/school:2024/" + School);
        var line = page[page.IndexOf("<tr id=\"t-30\"", StringComparison.Ordinal)..];
        line = line[..line.IndexOf("</tr>", StringComparison.Ordinal)];
        var certificate = (await (await bureau.GetAsync(Files)).Content.ReadFromJsonAsync<JsonElement[]>())!.Single(f => f.GetProperty("item").GetString() == "30").GetProperty("id").GetInt64();
        line.ShouldContain("data-named-files>佐证材料：");
        line.ShouldContain($"/files/{certificate}\" target=_blank>获奖证书.png</a>");

        // A file removed since the download is named by the workbook: refused with the row, and a name without a value too.
        (await school.PostAsJsonAsync($"{Files}/{certificate}/remove", new { why = "换一张" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var stale = FormFiller.Fill(again, [("30#awards", "填写", "5"), ("31#papers", "佐证材料", "论文.pdf")]);
        using (var refused = await bureau.PostAsync($"{Sheet}/import?fileName=填报表.xlsx", new ByteArrayContent(stale)))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            var body = await refused.Content.ReadAsStringAsync();
            body.ShouldContain($"第 {row} 行“佐证材料”列：“获奖证书.png”已被删除或替换");
            body.ShouldContain("“佐证材料”列：只写了佐证材料，没有填写");
        }
    }
}
