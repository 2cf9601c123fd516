using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using Ingest.Application.Rating;
using Ingest.Core.Facts;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Data.Audit;
using Ingest.Data.Facts;
using Ingest.Data.Organisations;
using Ingest.Data.Runs;
using Ingest.Scoring.Rubrics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ingest.Host.Tests.Scoring;

/// <summary>
/// The county bulletin on seed 002's own case: 泾源县's thirteen schools with the scores 002 gives them. Section 一 is 002's,
/// school for school, level for level, score for score, in the same order; the holes are filled on the way to the final Word file.
/// </summary>
public class BulletinTests
{
    private const string Cycle = "school:2024";
    private const string Bulletin = "/api/bulletins/" + Cycle + "/640424";

    /// <summary>002's schools and the scores its section 一 gives (the four it does not rate, below 70), in the directory's order.</summary>
    internal static readonly (string Code, string Name, decimal Total)[] Schools =
    [
        ("2164240101", "新民乡中心小学", 71.5m), ("2164240102", "六盘山镇第一小学", 77.5m), ("2164240103", "泾源县城关第二小学", 75m),
        ("2164240104", "泾源县第一中学", 73.5m), ("2164240105", "泾源高级中学", 75.5m), ("2164240106", "泾河源镇中心小学", 80m),
        ("2164240107", "兴盛乡中心小学", 81m), ("2164240108", "泾源县第四小学", 81.5m), ("2164240109", "泾源县城关第一小学", 94.5m),
        ("2164240110", "大湾乡中心小学", 62m), ("2164240111", "大湾中学", 58m), ("2164240112", "黄花乡平凉庄小学", 55m), ("2164240113", "泾源县第三小学", 66m),
    ];

    [Fact]
    public async Task Seed_002s_county_gets_002s_section_one_and_a_final_bulletin_once_its_author_fills_every_hole()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host, cs);
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "泾源县教育局马老师");
        using var auditor = await HostFixture.ClientAsAsync(host, "auditor", "640422", "西吉县审计");

        var draft = await bureau.GetFromJsonAsync<JsonElement>(Bulletin);
        var paragraphs = draft.GetProperty("paragraphs").EnumerateArray().Select(p => (Style: p.GetProperty("style").GetString(), Text: p.GetProperty("text").GetString()!)).ToArray();
        paragraphs[0].Text.ShouldBe("泾源县2024年“互联网+教育”智慧校园星级评定工作督导评估通报");
        paragraphs[1].Text.ShouldContain("等13所学校“互联网+教育”智慧校园星级评定建设工作进行了督导评估");

        // 002, 一、评星定级情况, word for word but for one "、" where 002 elsewhere writes "，" between schools.
        var one = paragraphs.SkipWhile(p => p.Text != "一、评星定级情况").Skip(1).First().Text;
        one.ShouldBe("根据《宁夏中小学“互联网+教育”智慧校园认定标准》中的6个一级指标，22个二级指标内容，在学校自评自查的基础上，对标对表进行现场督导评估赋分，"
            + "其中5所学校符合智慧校园二星级认定标准，分别是新民乡中心小学评定得分71.5分，六盘山镇第一小学评定得分77.5分，泾源县城关第二小学评定得分75分，泾源县第一中学评定得分73.5分，泾源高级中学评定得分75.5分。"
            + "3所学校符合智慧校园三星级认定标准，分别是泾河源镇中心小学评定得分80分，兴盛乡中心小学评定得分81分，泾源县第四小学评定得分81.5分。"
            + "泾源县城关第一小学符合智慧校园四星级认定标准，评定得分94.5分，向自治区教育厅申请智慧校园四星级认定。");

        // 二 rests on the data: 上半年 lessons with the county's rank, the figure's run in the annex and not in the text.
        var second = paragraphs.Single(p => p.Text.StartsWith("3.泾源县城关第二小学。", StringComparison.Ordinal)).Text;
        second.ShouldContain("上半年在线课堂实开课程261节，居全县第一");
        second.ShouldContain("【待填：泾源县城关第二小学现场评估所见的成效");
        second.ShouldNotContain("采集批次");
        var annex = draft.GetProperty("annex").EnumerateArray().Single(a => a.GetProperty("school").GetString() == "泾源县城关第二小学");
        (annex.GetProperty("indicator").GetString(), annex.GetProperty("period").GetString(), annex.GetProperty("value").GetString()).ShouldBe(("progress.online_lessons", "2024年上半年", "261"));

        // 三 names each school's shortfalls and what most schools share; 四 asks for the author's words while no 整改 item is set.
        paragraphs.ShouldContain(p => p.Text.StartsWith("大湾中学：", StringComparison.Ordinal));
        paragraphs.ShouldContain(p => p.Text.StartsWith("多数学校在", StringComparison.Ordinal));
        var holes = draft.GetProperty("holes").EnumerateArray().Select(h => h.GetProperty("key").GetString()!).ToArray();
        holes.ShouldBe(["basis", "dates", "team", "methods", .. Schools.Take(9).OrderBy(s => s.Total >= 80 ? s.Total >= 90 ? 4 : 3 : 2).Select(s => "praise:" + s.Code), "requirements"],
            ignoreOrder: true);

        // The final bulletin waits for every hole; the draft says where.
        var refused = await bureau.GetAsync(Bulletin + "/final.docx");
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await refused.Content.ReadAsStringAsync()).ShouldContain($"还有 {holes.Length} 处【待填】");
        Text(await (await bureau.GetAsync(Bulletin + "/draft.docx")).Content.ReadAsByteArrayAsync()).ShouldContain("【待填：督导评估的日期");
        (await auditor.GetAsync(Bulletin)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "another county's auditor");
        (await bureau.PutAsJsonAsync(Bulletin + "/inputs", new Dictionary<string, string> { ["signature"] = "x" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var fill = holes.ToDictionary(h => h, h => h switch
        {
            "dates" => "8月28日至9月1日",
            "basis" => "自治区教育厅《宁夏中小学“互联网+教育”智慧校园建设管理办法》（宁教发〔2022〕33号）",
            "team" => "县人民政府教育督导委员会办公室、教育体育局信息中心及抽调学校专业人员",
            "methods" => "实地查看、档案建设、网上调研、谈话询问",
            "requirements" => "各学校要进一步细化整改措施，明确整改要求、完成时限，切实抓好反馈问题整改。",
            _ => "学校信息化基础设施设备完善，能积极开展“三个课堂”常态化按需应用。",
        });
        (await bureau.PutAsJsonAsync(Bulletin + "/inputs", fill)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var final = await bureau.GetAsync(Bulletin + "/final.docx");
        final.StatusCode.ShouldBe(HttpStatusCode.OK);
        var word = await final.Content.ReadAsByteArrayAsync();
        var text = Text(word);
        text.ShouldNotContain("【待填");
        text.ShouldContain("8月28日至9月1日，县人民政府教育督导委员会办公室、教育体育局信息中心及抽调学校专业人员通过实地查看、档案建设、网上调研、谈话询问等方式");
        text.ShouldContain("附件：数据来源");
        using (var document = WordprocessingDocument.Open(new MemoryStream(word), false))
        {
            new OpenXmlValidator().Validate(document).Select(e => $"{e.Path?.XPath}: {e.Description}").ShouldBeEmpty("a Word file any reader opens");
        }

        await OpensInLibreOfficeAsync(word, "泾源县督导评估通报（002）");

        var audit = await host.App.Services.GetRequiredService<AuditStore>().ListAsync(new AuditFilter(OrgCode: "640424"), CancellationToken.None);
        audit.Count(a => a.Action == "bulletin.write").ShouldBe(1);

        // The same bulletin at the command line, with its Word file.
        var path = Path.Combine(Path.GetTempPath(), $"bulletin-{Guid.NewGuid():N}.docx");
        var shown = await Cli.CliTests.RunWithInputAsync(null, ["bulletin", "show", "--cycle", Cycle, "--county", "640424", "--docx", path], ("ConnectionStrings__Ingest", cs));
        shown.ExitCode.ShouldBe(0, shown.StdErr);
        shown.StdOut.ShouldContain(one);
        shown.StdOut.ShouldContain("依据 13 所学校的评分表（已备案 0 所）；待填 0 处");
        Text(await File.ReadAllBytesAsync(path)).ShouldBe(text);
        File.Delete(path);
    }

    /// <summary>
    /// Where LibreOffice is installed, the Word file opens in it: converted to PDF without a complaint, and both kept beside
    /// the screenshots (artifacts/documents) for a person to read. Where it is not, the Open XML validator's word stands.
    /// </summary>
    internal static async Task OpensInLibreOfficeAsync(byte[] word, string name)
    {
        if (!File.Exists("/usr/bin/soffice"))
        {
            return;
        }

        var folder = Directory.CreateTempSubdirectory("ingest-bulletin-");
        await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "bulletin.docx"), word);
        using var office = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/soffice",
            ["--headless", $"-env:UserInstallation=file://{folder.FullName}/profile", "--convert-to", "pdf", "--outdir", folder.FullName, Path.Combine(folder.FullName, "bulletin.docx")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await office.WaitForExitAsync();
        office.ExitCode.ShouldBe(0, await office.StandardError.ReadToEndAsync());
        (await File.ReadAllBytesAsync(Path.Combine(folder.FullName, "bulletin.pdf"))).Length.ShouldBeGreaterThan(1000);
        var kept = Path.Combine(Pages.BrowserSite.RepositoryRoot(), "artifacts", "documents");
        Directory.CreateDirectory(kept);
        File.Copy(Path.Combine(folder.FullName, "bulletin.pdf"), Path.Combine(kept, name + ".pdf"), overwrite: true);
        await File.WriteAllBytesAsync(Path.Combine(kept, name + ".docx"), word);
        folder.Delete(recursive: true);
    }

    /// <summary>The paragraphs' text of a Word file, a line each.</summary>
    internal static string Text(byte[] word)
    {
        using var document = WordprocessingDocument.Open(new MemoryStream(word), false);
        return string.Join("\n", document.MainDocumentPart!.Document!.Body!.Descendants<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText));
    }

    /// <summary>
    /// 泾源县 with 002's thirteen schools; 上半年 lessons for three of them (261 for 城关第二小学, 002's "居全县第一"); every
    /// sheet's 教育局评定 column filled to 002's score: full points, less what the total lacks taken from lines a person
    /// scores (never a ★ line, never 示范成果, whose items pass its cap).
    /// </summary>
    internal static async Task SeedAsync(IngestWebHost host, string cs)
    {
        var services = host.App.Services;
        await services.GetRequiredService<OrganisationStore>().UpsertAsync(
        [
            new Organisation("640400", "固原市", OrgLevel.City, Organisation.RegionCode),
            new Organisation("640424", "泾源县", OrgLevel.County, "640400"),
            new Organisation("640422", "西吉县", OrgLevel.County, "640400"),
            .. Schools.Select(s => new Organisation(s.Code, s.Name, OrgLevel.School, "640424", SchoolType: s.Name.EndsWith("中学", StringComparison.Ordinal) ? "初级中学" : "小学")),
        ], CancellationToken.None);
        var run = await services.GetRequiredService<RunStore>().CreateRunAsync(
            new RunRequest("test", Cycle, ["2024H1"], ["640424"], ["progress"], "test", null), CancellationToken.None);
        await using (var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            IndicatorFact Lessons(string code, int n) => new(code, "progress.online_lessons", "2024H1", "progress", n);
            await FactStore.WriteAsync(connection, tx, [Lessons("2164240103", 261), Lessons("2164240109", 212), Lessons("2164240107", 67)], run,
                services.GetRequiredService<TimeProvider>().GetUtcNow(), CancellationToken.None);
            await tx.CommitAsync();
        }

        var sheets = services.GetRequiredService<ScoresheetService>();
        var cycle = EvaluationCycle.Parse(Cycle);
        var rubric = RubricLibrary.Default(RubricKind.School);
        var by = Actor.CommandLine("泾源县教育局马老师");
        foreach (var (code, _, total) in Schools)
        {
            var lack = 100 - total;
            var changes = new List<(string, EntryValue)>();
            foreach (var item in rubric.Items)
            {
                foreach (var t in item.Targets)
                {
                    var value = t.Entry switch
                    {
                        EntryKind.Counts => new EntryValue(null, t.CountSpecs.ToDictionary(c => c.Key, c => c.Each > 0 ? (int)Math.Ceiling(t.Points / c.Each) : 1000), null, null),
                        EntryKind.Flag => new EntryValue(null, null, false, null),
                        EntryKind.Score when !item.Veto && item.AreaCode != "6" && lack > 0 => new EntryValue(t.Points - Math.Min(lack, t.Points), null, null, null),
                        _ => new EntryValue(t.Points, null, null, "现场核查"),
                    };
                    if (t.Entry == EntryKind.Score && !item.Veto && item.AreaCode != "6")
                    {
                        lack -= Math.Min(lack, t.Points);
                    }

                    changes.Add((t.Key, value));
                }
            }

            await sheets.ApplyAsync(code, cycle, Column.Bureau, changes, by, null, CancellationToken.None);
        }
    }
}
