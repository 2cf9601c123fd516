using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ingest.Host.Scoring;
using Ingest.Scoring.Sheets;
using Ingest.Testing;
using static Ingest.Host.Tests.Scoring.ScoresheetApiTests;

namespace Ingest.Host.Tests.Scoring;

/// <summary>A whole column filled in one step: the 填报表 written, filled as a rater would in Excel, imported over HTTP.</summary>
public class FillFormTests
{
    private const string School = "2164240001";
    private const string Sheet = "/api/scoresheets/school:2024/" + School;

    /// <summary>The bulletin entries as cells of the form: a score per row, a count per count row, 是/否 for 64.</summary>
    private static IEnumerable<(string Key, string Header, string? Text)> Cells(IEnumerable<EntryBody> entries) =>
        entries.SelectMany(e => e switch
        {
            { Counts: { } counts } => counts.Select(c => ($"{e.Target}#{c.Key}", "填写", (string?)c.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            { Flag: { } flag } => [(e.Target, "填写", (string?)(flag ? "是" : "否"))],
            _ => [(e.Target, "填写", (string?)e.Score!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        });

    private static async Task<byte[]> FormAsync(HttpClient http, string column) =>
        await http.GetByteArrayAsync($"{Sheet}/fill.xlsx?column={column}");

    private static Task<HttpResponseMessage> ImportAsync(HttpClient http, byte[] workbook, string file = "填报表.xlsx") =>
        http.PostAsync($"{Sheet}/import?fileName={Uri.EscapeDataString(file)}", new ByteArrayContent(workbook));

    [Fact]
    public async Task A_column_filled_by_one_import_scores_as_the_same_entries_made_one_by_one()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host, FullFacts());
        using var http = await HostFixture.ClientAsAsync(host, "bureau", "640424", "王专家");
        var sheet = await GetAsync(http, Sheet);

        // 教育厅评定 one entry at a time; 教育局评定 from one workbook holding the same values.
        using var ministry = await HostFixture.ClientAsAsync(host, "department", "640000", "厅专家");
        foreach (var body in BulletinEntries(sheet, "department"))
        {
            (await ministry.PostAsJsonAsync(Sheet + "/entries", body)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // A line waiting for 现场确认 says so in its 依据; typing its pre-filled score (as the bulletin entries do) confirms it.
        var blank = Ingest.Documents.Forms.Xlsx.Read(new MemoryStream(await FormAsync(http, "bureau")), "填报")!;
        var row21 = blank.Single(c => c.Key.Column == 1 && c.Value == "21").Key.Row;
        blank[(row21, 7)].ShouldStartWith("数据只涵盖本项的一部分，待现场确认：能够根据用户角色及权限不同设置个性化的信息资源和应用服务（现场查看后填写预填得分即为确认）");

        var rows = BulletinEntries(sheet, "bureau").ToArray();
        var filled = FormFiller.Fill(await FormAsync(http, "bureau"), Cells(rows));
        var response = await ImportAsync(http, filled);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());

        sheet = await GetAsync(http, Sheet);
        var bureau = sheet.Columns.Single(c => c.Column == "bureau");
        var department = sheet.Columns.Single(c => c.Column == "department");
        bureau.Total.ShouldBe(94.5m);
        (bureau.Total, bureau.Stars!.Stars, bureau.Pending, bureau.NotComputable).ShouldBe((department.Total, department.Stars!.Stars, department.Pending, department.NotComputable));
        bureau.Areas.Select(a => a.Score).ShouldBe(department.Areas.Select(a => a.Score));
        bureau.Stars.Stars.ShouldBe(4);
        var imports = await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.scoresheet_import WHERE rating_column = 'bureau' AND imported_by = '王专家'");
        imports.ShouldBe(1);

        // The same workbook again changes nothing.
        using var again = JsonDocument.Parse(await (await ImportAsync(http, filled)).Content.ReadAsStringAsync());
        (again.RootElement.GetProperty("logged").GetInt32(), again.RootElement.GetProperty("unchanged").GetInt32()).ShouldBe((0, rows.Length));
    }

    [Fact]
    public async Task A_bad_workbook_is_refused_whole_naming_every_bad_row_and_column()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host, FullFacts());
        using var http = await HostFixture.ClientAsAsync(host, "bureau", "640424", "王专家");
        var form = await FormAsync(http, "bureau");

        var bad = FormFiller.Fill(form,
        [
            ("1", "填写", "1"),              // fine on its own
            ("22", "填写", "2.3"),           // off the 0.5 steps
            ("9", "填写", "5"),              // above its 1 point
            ("10", "填写", "0,5"),           // a decimal comma
            ("19", "填写", "0"),             // changes the auto 3 without a reason
            ("64", "填写", "no"),            // neither 是 nor 否
            ("30#awards", "填写", "三"),     // not a count
            ("23", "预填得分", "0"),          // a read-only cell changed
            ("24", "编号", "99"),             // a row that is no item
        ]);
        var response = await ImportAsync(http, bad, "泾源一小-教育局.xlsx");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("file").GetString().ShouldBe("泾源一小-教育局.xlsx");
        var errors = problem.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToArray();
        string[] expected =
        [
            "“填写”列：指标 22：得分 2.3 不在 0～3 分之间或不是 0.5 分的整数倍",
            "“填写”列：指标 9：得分 5 不在 0～1 分之间或不是 0.5 分的整数倍",
            "“填写”列：指标 10：得分“0,5”含逗号：小数请用小数点，如 1.5",
            "“理由”列：指标 19：自动得分为 3，改写为 0 须填写理由",
            "“填写”列：指标 64：是否“no”无法识别：只接受 是、否、true 或 false",
            "“填写”列：指标 30：次数“三”不是次数：应为 0 或正整数",
            "“预填得分”列：只读单元格被改动（应为“2”，文件中为“0”）",
            "“编号”列：“99”不是本表的指标",
            "缺少编号“24”的行",
        ];
        foreach (var fragment in expected)
        {
            errors.ShouldContain(e => e.Contains(fragment, StringComparison.Ordinal), fragment);
        }

        errors.Where(e => e.StartsWith("第 ", StringComparison.Ordinal)).ShouldAllBe(e => e.Contains(" 行“", StringComparison.Ordinal));
        errors.Length.ShouldBe(expected.Length);
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.scoresheet_entry")).ShouldBe(0, "the good row 1 is not recorded either");
        (await ImportAsync(http, "not a workbook"u8.ToArray())).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_reimport_replaces_what_the_earlier_one_entered_and_the_log_keeps_both()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host, FullFacts());
        using var http = await HostFixture.ClientAsAsync(host, "bureau", "640424", "王专家");

        var first = FormFiller.Fill(await FormAsync(http, "bureau"), [("22", "填写", "2.5"), ("1", "填写", "1"), ("61#commendations", "填写", "2")]);
        (await ImportAsync(http, first, "第一次.xlsx")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The second download starts from what the column holds; the rater changes 22, empties 1, leaves 61.
        var second = FormFiller.Fill(await FormAsync(http, "bureau"), [("22", "填写", "3"), ("1", "填写", null), ("1", "理由", "现场核查：带宽未达1000M")]);
        var response = await ImportAsync(http, second, "第二次.xlsx");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());

        var sheet = await GetAsync(http, Sheet);
        sheet.Lines.Single(l => l.Target == "22").Columns["bureau"].Score.ShouldBe(3);
        sheet.Lines.Single(l => l.Target == "1").Columns["bureau"].Status.ShouldBe("pending");
        sheet.Lines.Single(l => l.Target == "61").Columns["bureau"].Score.ShouldBe(1, "two commendations count once");
        var log = (await http.GetFromJsonAsync<EntryLogView[]>(Sheet + "/entries", Json))!;
        log.Select(l => (l.Target, l.NewScore, l.Reason)).ShouldBe(
        [
            ("1", 1m, null), ("22", 2.5m, null), ("61", 1m, null),
            ("1", null, "现场核查：带宽未达1000M"), ("22", 3m, null),
        ]);
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(DISTINCT import_id) FROM ingest.scoresheet_entry")).ShouldBe(2);
    }

    [Fact]
    public async Task The_county_zip_holds_one_form_per_school_each_naming_its_school_and_the_column()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host, FullFacts());
        using var http = await HostFixture.ClientAsAsync(host, "bureau", "640424", "李老师");
        var built = await http.PostAsync("/api/counties/640424/scoresheets/school:2024", null);
        built.StatusCode.ShouldBe(HttpStatusCode.OK, await built.Content.ReadAsStringAsync());
        using var list = JsonDocument.Parse(await http.GetStringAsync("/api/counties/640424/scoresheets/school:2024"));
        var schools = list.RootElement.EnumerateArray().Select(s => s.GetProperty("orgCode").GetString()!).Order(StringComparer.Ordinal).ToArray();
        schools.Length.ShouldBeGreaterThan(1, "the county has more than one school, so the zip holds more than one form");

        var zip = await http.GetAsync("/api/counties/640424/scoresheets/school:2024/fill.zip");

        zip.StatusCode.ShouldBe(HttpStatusCode.OK, await zip.Content.ReadAsStringAsync());
        zip.Content.Headers.ContentType!.MediaType.ShouldBe("application/zip");
        using var archive = new System.IO.Compression.ZipArchive(new MemoryStream(await zip.Content.ReadAsByteArrayAsync()));
        archive.Entries.Count.ShouldBe(schools.Length);
        var named = new List<string>();
        foreach (var entry in archive.Entries)
        {
            using var workbook = new MemoryStream();
            await using (var content = entry.Open())
            {
                await content.CopyToAsync(workbook);
            }

            workbook.Position = 0;
            var cells = Ingest.Documents.Forms.Xlsx.Read(workbook, null).ShouldNotBeNull();
            // Row 2 names the sheet the form fills: the school's code, and the bureau's column.
            named.Add(cells[(2, 2)]);
            cells.Values.ShouldContain("教育局评定");
            entry.FullName.ShouldStartWith(cells[(2, 2)] + "-");
        }

        named.Order(StringComparer.Ordinal).ShouldBe(schools);
    }

    [Fact]
    public async Task Each_yellow_cell_carries_Excels_own_check_so_a_wrong_value_is_stopped_before_the_upload()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host, FullFacts());
        using var http = await HostFixture.ClientAsAsync(host, "bureau", "640424", "王专家");

        var bytes = await FormAsync(http, "bureau");
        var cells = Ingest.Documents.Forms.Xlsx.Read(new MemoryStream(bytes), Ingest.Documents.Forms.FillForm.SheetName)!;
        var all = Ingest.Documents.Forms.Xlsx.Validations(new MemoryStream(bytes), Ingest.Documents.Forms.FillForm.SheetName);
        var validations = all.Where(v => v.Cell.StartsWith('I')).ToArray();

        // One check per line to fill (column I, 填写), keyed here by the line's 编号 in column A.
        var keys = cells.Where(c => c.Key.Column == 1 && c.Key.Row > 4).ToDictionary(c => c.Key.Row, c => c.Value);
        validations.Select(v => v.Cell).ShouldBe(keys.Keys.Order().Select(r => "I" + r.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var byKey = validations.ToDictionary(v => keys[int.Parse(v.Cell[1..], System.Globalization.CultureInfo.InvariantCulture)]);

        // Item 1 is worth 1 point: 0, 0.5 or 1, a number. Item 64 is 是 or 否 from a list. Item 30 counts awards: a whole number.
        var one = byKey["1"];
        (one.Type, one.Formula).ShouldBe(("custom", $"AND(ISNUMBER({one.Cell}),{one.Cell}>=0,{one.Cell}<=1,MOD({one.Cell}*2,1)=0)"));
        one.Prompt.ShouldBe("得分 0～1 分，0.5 分一档，小数用小数点");
        (byKey["64"].Type, byKey["64"].Formula).ShouldBe(("list", "\"是,否\""));
        (byKey["30#awards"].Type, byKey["30#awards"].Formula).ShouldBe(("whole", "0"));

        // The 佐证材料 cell of each line (column K, on a counted item's first row) takes names of bounded length, and says how to write them.
        var files = all.Where(v => v.Cell.StartsWith('K')).ToArray();
        files.Length.ShouldBe(keys.Values.Select(k => k.Split('#')[0]).Distinct().Count());
        files.ShouldAllBe(v => v.Type == "textLength" && v.Formula == "4020" && v.Prompt!.Contains("多个用“、”分隔"));
    }
}
