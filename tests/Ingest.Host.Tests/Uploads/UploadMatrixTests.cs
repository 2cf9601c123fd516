using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ingest.Documents.Claims;
using Ingest.Host.Tests.Scoring;
using Ingest.Testing;
using static Ingest.Host.Tests.People.People;
using static Ingest.Host.Tests.Uploads.HostileFiles;

namespace Ingest.Host.Tests.Uploads;

/// <summary>
/// Every upload endpoint and page × every kind of bad file: each answered 400 with a message in Chinese that names the
/// file and what is wrong with it (never 500), what the request allocated bounded, and nothing stored.
/// </summary>
public class UploadMatrixTests
{
    private const string Cycle = "school:2024";
    private const string Header = "学校标识码,学校名称,序号,指标,分值,自评得分,自评数据,说明";

    /// <summary>What one request may allocate, all threads together: the old claims reader took 2.5 GB for a cell at ZZZZZZ1.</summary>
    private const long AllocationBound = 512L << 20;

    private sealed record Forms(byte[] Own, byte[] OtherSchools);

    private sealed record Case(string Name, Func<Forms, byte[]> Claims, string ClaimsProblem, Func<Forms, byte[]> Form, string FormProblem);

    private static readonly string[] ClaimsHeader = [.. ClaimsFile.Columns];

    private static byte[] Csv(params string[] lines) => Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n");

    private static readonly Case[] Cases =
    [
        new("empty", _ => [], "文件是空的（0 字节）", _ => [], "文件是空的（0 字节）"),
        new("BOM + garbage", _ => BomAndGarbage, "以 UTF-8 标记开头，但第 4 字节起不是有效的 UTF-8 文本",
            _ => BomAndGarbage, "不是 Excel 工作簿（.xlsx）：文件太短"),
        new("GB18030 broken", _ => BrokenGb18030(Header + "\r\n" + School + ",城关一小,22,,3,"), "既不是 UTF-8 也不是 GB18030 编码的文本（第 ",
            _ => BrokenGb18030("编号,序号,指标内容,分值,预填得分,依据,填写内容,填写,理由\r\n"), "不是 Excel 工作簿（.xlsx）：压缩文件目录缺失或已损坏"),
        new("cell at ZZZZZZ1", _ => Workbook(("Sheet1", CellAt(ClaimsHeader, "ZZZZZZ1"))), "工作表“Sheet1”的单元格引用“ZZZZZZ1”超出 Excel 的范围（最大为 XFD1048576）",
            _ => Workbook(("填报", CellAt(["编号"], "ZZZZZZ1"))), "工作表“填报”的单元格引用“ZZZZZZ1”超出 Excel 的范围（最大为 XFD1048576）"),
        new("zip bomb", _ => ZipBomb(ClaimsHeader, 200, lie: false), "解压后共 200 MB，超过上限 64 MB",
            _ => ZipBomb(["编号"], 200, lie: false, sheet: "填报"), "解压后共 200 MB，超过上限 64 MB"),
        new("100,000 rows", _ => Csv([Header, .. Enumerable.Range(0, 100_000).Select(_ => $"{School},,22,,3,2,,")]), "超过 50000 行数据，超过上限",
            _ => Workbook(("填报", Rows(Enumerable.Range(0, 100_000).Select(i => new[] { i.ToString(System.Globalization.CultureInfo.InvariantCulture) })))),
            "工作表“填报”有第 5001 行，超过本表的行数上限 5000"),
        new("formula text", _ => Csv(Header, $"{School},,22,,3,=1+2,,"), "第 2 行“自评得分”列：自评得分“=1+2”不是数字",
            f => FormFiller.Fill(f.Own, [("22", "填写", "=1+2")]), "“填写”列：指标 22：得分“=1+2”不是数字"),
        new("a second sheet", _ => Workbook(("说明", Rows([["请在第二个工作表填写"]])), ("自评", Rows([ClaimsHeader, [School, "", "22", "", "3", "2", "", ""]]))),
            "缺少列 学校标识码、序号、自评得分",
            _ => Workbook(("说明", Rows([["请在第二个工作表填写"]])), ("Sheet2", Rows([["编号"], ["22"]]))), "没有“填报”工作表，不是本系统导出的填报表"),
        new("wrong column names", _ => Csv("学校代码,题号,得分", $"{School},22,2"), "缺少列 学校标识码、序号、自评得分",
            _ => Workbook(("填报", Rows([["填报表"], ["单位", School, "", "", "", "2024", "", "", "某栏"]]))), "第 2 行的机构代码、年度或评分栏被改动"),
        new("another organisation", _ => Csv(Header, $"{ForeignSchool},,22,,3,2,,"), $"{ForeignSchool} 不在本账号的范围内",
            f => f.OtherSchools, $"这是 {OtherSchool} 2024年度的填报表，不是 {School} 2024年度的"),
    ];

    [Fact]
    public async Task Every_upload_answers_every_bad_file_with_400_naming_the_file_and_keeps_nothing()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host);
        using var api = await HostFixture.ClientAsAsync(host, "bureau", "640424", "泾源县教育局李老师");
        await CreateAccountAsync(host, "jy-bureau", "李老师", "bureau", "640424");
        var (page, signedIn) = await SignInAsync(host, "jy-bureau", Password);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        using var _ = page;
        var forms = new Forms(
            await api.GetByteArrayAsync($"/api/scoresheets/{Cycle}/{School}/fill.xlsx"),
            await api.GetByteArrayAsync($"/api/scoresheets/{Cycle}/{OtherSchool}/fill.xlsx"));
        const string state = "SELECT concat_ws('/', (SELECT count(*) FROM ingest.claim), (SELECT count(*) FROM ingest.claim_import), "
            + "(SELECT count(*) FROM ingest.scoresheet_entry), (SELECT count(*) FROM ingest.scoresheet_import), (SELECT count(*) FROM ingest.scoresheet))";
        var before = await HostFixture.ScalarAsync<string>(cs, state);

        var uploads = new (string Name, bool Claims, Func<byte[], string, Task<HttpResponseMessage>> Send)[]
        {
            ("POST /api/claims/{cycle}/import", true, (bytes, file) => api.PostAsync($"/api/claims/{Cycle}/import?fileName={Uri.EscapeDataString(file)}", new ByteArrayContent(bytes))),
            ("POST /api/scoresheets/{cycle}/{org}/import", false, (bytes, file) => api.PostAsync($"/api/scoresheets/{Cycle}/{School}/import?fileName={Uri.EscapeDataString(file)}", new ByteArrayContent(bytes))),
            ("page /audit/claims/{cycle}/{county}", true, (bytes, file) => PostFileAsync(page, $"/audit/claims/{Cycle}/640424", string.Empty, bytes, file)),
            ("page /sheets/{cycle}/{org} import", false, (bytes, file) => PostFileAsync(page, $"/sheets/{Cycle}/{School}", "?handler=import", bytes, file)),
        };
        var wrong = new List<string>();
        foreach (var upload in uploads)
        {
            foreach (var c in Cases)
            {
                var bytes = upload.Claims ? c.Claims(forms) : c.Form(forms);
                var file = $"坏文件-{c.Name}" + (upload.Claims && bytes.AsSpan().StartsWith("PK"u8) || !upload.Claims ? ".xlsx" : ".csv");
                var problem = upload.Claims ? c.ClaimsProblem : c.FormProblem;
                var allocated = GC.GetTotalAllocatedBytes(precise: true);
                using var response = await upload.Send(bytes, file);
                allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
                var body = await response.Content.ReadAsStringAsync();
                var shown = upload.Name.StartsWith("page", StringComparison.Ordinal) ? WebUtility.HtmlDecode(body) : Detail(body);
                if (response.StatusCode != HttpStatusCode.BadRequest || !shown.Contains(file, StringComparison.Ordinal) || !shown.Contains(problem, StringComparison.Ordinal))
                {
                    wrong.Add($"{upload.Name} × {c.Name}: {(int)response.StatusCode}, expected 400 naming “{file}” and “{problem}”; got {Shorten(shown)}");
                }

                if (allocated > AllocationBound)
                {
                    wrong.Add($"{upload.Name} × {c.Name}: the request allocated {allocated >> 20} MB");
                }
            }
        }

        wrong.ShouldBeEmpty();
        (await HostFixture.ScalarAsync<string>(cs, state)).ShouldBe(before, "claims, imports, entries and sheets are as they were");
    }

    /// <summary>The detail and errors of a problem answer (an API refusal), or the body as it came.</summary>
    private static string Detail(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var errors = root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Array ? string.Join("；", e.EnumerateArray().Select(x => x.GetString())) : string.Empty;
            return $"{(root.TryGetProperty("file", out var f) ? f.GetString() : string.Empty)} {root.GetProperty("detail").GetString()} {errors}";
        }
        catch (Exception x) when (x is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return body;
        }
    }

    private static string Shorten(string text)
    {
        var flat = System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");
        return flat.Length > 600 ? flat[..600] : flat;
    }

    /// <summary>Posts a file from a page's upload form as the browser does: the page's antiforgery token, multipart.</summary>
    private static async Task<HttpResponseMessage> PostFileAsync(HttpClient page, string path, string handler, byte[] bytes, string file)
    {
        var token = FormToken(await page.GetStringAsync(path));
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
        };
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "file", file);
        return await page.PostAsync(path + handler, form);
    }
}
