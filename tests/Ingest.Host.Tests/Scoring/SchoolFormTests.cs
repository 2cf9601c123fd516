using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Ingest.Documents.Forms;
using Ingest.Host.Scoring;
using Ingest.Testing;
using static Ingest.Host.Tests.Scoring.ScoresheetApiTests;

namespace Ingest.Host.Tests.Scoring;

/// <summary>The 星级认定表 of 附件2 as issued: read back from the workbook and from the PDF, field by field.</summary>
public class SchoolFormTests
{
    private const string School = "2164240001";
    private const string Sheet = "/api/scoresheets/school:2024/" + School;

    /// <summary>Every field and line 附件2 prints, in its order.</summary>
    private static readonly string[] FormText =
    [
        "宁夏中小学“互联网+教育”智慧校园星级认定表", "学校名称", "泾源县城关第一小学", "已获星级", "三星级", "联系人", "马晓燕", "联系方式", "0954-5012345",
        "项目", "学校自评得分", "教育局评定得分", "教育厅评定得分",
        "一、基础设施（15分）", "二、数字资源（15分）", "三、应用融合（40分）", "四、师生能力与发展（10分）", "五、保障体系（10分）", "六、示范成果（10分）",
        "合计", "申报星级：四星级", "学校（盖章）", "市、县（区）教育局认定星级：拟申报四星级", "评估专家签字：", "市、县（区）教育局（盖章）",
        "自治区教育厅认定星级：", "教育厅网信办（盖章）", "备注：本表一式三份，教育厅、教育局、学校各执1份。",
        "2024年度", "宁夏中小学“互联网+教育”智慧校园认定标准",
    ];

    private static async Task<HttpClient> PreparedAsync(string cs, IngestWebHost host)
    {
        await SeedAsync(host, FullFacts());
        var http = await HostFixture.ClientAsAsync(host, "bureau", "640424", "李老师");
        using var school = await HostFixture.ClientAsAsync(host, "school", School, "马晓燕");

        // The school holds 三星级 from 2023, as the department's list of earlier levels says.
        using (var department = await HostFixture.ClientAsAsync(host, "department", "640000", "教育厅张处长"))
        {
            var imported = await department.PostAsync("/api/levels/import?fileName=既有星级.csv", new StringContent(
                $"学校标识码,学校名称,星级,授牌年度,授牌日期,认定单位,文号\n{School},泾源县城关第一小学,三星级,2023,2023-08-30,泾源县教育局,泾教发〔2023〕31号\n"));
            imported.StatusCode.ShouldBe(HttpStatusCode.OK, await imported.Content.ReadAsStringAsync());
        }

        // This year: the bureau's column filled (94.5, four stars), an application for 4 stars, the school's contact.
        foreach (var body in BulletinEntries(await GetAsync(http, Sheet)))
        {
            (await http.PostAsJsonAsync(Sheet + "/entries", body)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await school.PutAsJsonAsync(Sheet + "/applied-stars", new AppliedStarsBody(4))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await school.PutAsJsonAsync($"/api/organisations/{School}/contact", new ContactBody("马晓燕", "0954-5012345"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        return http;
    }

    [Fact]
    public async Task The_workbook_holds_every_field_and_line_of_the_form_merged_and_set_up_for_one_A4_page()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        using var http = await PreparedAsync(cs, host);

        var bytes = await http.GetByteArrayAsync(Sheet + "/form.xlsx");
        using var stream = new MemoryStream(bytes);
        var cells = Xlsx.Read(stream, "星级认定表")!;
        var (merges, page, titles) = Xlsx.Layout(new MemoryStream(bytes), "星级认定表");

        var text = cells.Values.ToArray();
        foreach (var field in FormText)
        {
            text.ShouldContain(t => t.Contains(field, StringComparison.Ordinal), field);
        }

        cells[(1, 1)].ShouldBe("宁夏中小学“互联网+教育”智慧校园星级认定表");
        // Printed while the school's and the department's columns still wait: the form says so under its title, the
        // bureau's column (every line filled) is not named, and the waiting counts are the sheet's.
        var sheet = await GetAsync(http, Sheet);
        var self = sheet.Columns.Single(c => c.Column == "self");
        var department = sheet.Columns.Single(c => c.Column == "department");
        cells[(2, 1)].ShouldContain($"未完成：学校自评待填 {self.Pending + self.NotComputable} 项，教育厅评定待填 {department.Pending + department.NotComputable} 项");
        cells[(2, 1)].ShouldNotContain("教育局评定待填");
        var total = cells.Single(c => c.Value == "合计").Key.Row;
        (cells[(total, 4)], cells[(total, 5)]).ShouldBe(("20", "94.5")); // self: the auto items only; bureau: the bulletin case
        text.ShouldAllBe(t => !t.Contains("school:", StringComparison.Ordinal) && !t.Contains("school-2022", StringComparison.Ordinal));
        merges.ShouldContain("A1:F1");
        merges.ShouldContain("B3:C3");
        merges.ShouldContain(m => m.StartsWith("A5:A", StringComparison.Ordinal)); // 评定得分 down the side
        (page!.PaperSize!.Value, page.Orientation!.InnerText, page.FitToWidth!.Value, page.FitToHeight!.Value).ShouldBe((9u, "portrait", 1u, 1u)); // A4
        titles.ShouldBe("'星级认定表'!$1:$2");
    }

    [Fact]
    public async Task The_PDF_is_one_page_holding_the_same_fields()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        using var http = await PreparedAsync(cs, host);

        var response = await http.GetAsync(Sheet + "/form.pdf");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        var file = Path.Combine(Path.GetTempPath(), $"form-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
        try
        {
            (await Tool("pdfinfo", file)).ShouldContain("Pages:           1");
            var text = (await Tool("pdftotext", "-layout", file, "-")).Replace(" ", string.Empty, StringComparison.Ordinal);
            foreach (var field in FormText)
            {
                text.ShouldContain(field.Replace(" ", string.Empty, StringComparison.Ordinal), Case.Sensitive, field);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<string> Tool(string name, params string[] args)
    {
        var info = new ProcessStartInfo(name) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }
}
