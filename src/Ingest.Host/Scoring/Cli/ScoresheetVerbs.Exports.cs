using System.CommandLine;
using System.Globalization;
using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Core.Periods;
using Ingest.Data.Audit;
using Ingest.Documents.Exports;
using Ingest.Documents.Forms;
using Ingest.Host.Cli;
using Ingest.Host.Documents;
using Ingest.Scoring.Sheets;
using Spectre.Console;

namespace Ingest.Host.Scoring.Cli;

internal static partial class ScoresheetVerbs
{
    private static Command Export(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = CycleOption();
        var org = new Option<string?>("--org") { Description = "一张评分表：学校（学校评定周期）或县（区）（县（区）评估周期）" };
        var county = new Option<string?>("--county") { Description = "或一个县（区）在该周期的全部评分表" };
        var format = new Option<string>("--format") { Description = "csv 或 json（每条评分），xlsx（--org 时为星级认定表，--county 时为县汇总表），pdf（一所学校的星级认定表）", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "写出的文件", Required = true };
        var command = new Command("export", "导出评分表：全部评分行为 CSV 或 JSON，或正式表格为 Excel、PDF") { cycle, org, county, format, output };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            var f = r.GetValue(format)!.ToLowerInvariant();
            if (f is not ("csv" or "json" or "xlsx" or "pdf"))
            {
                throw new FormatException($"“{r.GetValue(format)}”不是导出格式：应为 csv、json、xlsx 或 pdf");
            }

            if (f == "pdf" && r.GetValue(org) is null)
            {
                throw new FormatException("pdf 是一所学校的星级认定表：请用 --org 指定学校");
            }

            if (r.GetValue(org) is null == r.GetValue(county) is null)
            {
                throw new FormatException("--org 与 --county 只能给出一个");
            }

            if (f is "xlsx" or "pdf" && r.GetValue(org) is not null && c.Rubric != RubricKind.School)
            {
                throw new FormatException("星级认定表是学校的表；县（区）评分表请导出为 csv 或 json");
            }

            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var service = host.Services.GetRequiredService<ScoresheetService>();
            var caller = Caller.CommandLine(Environment.UserName);
            var (countyName, sheets) = r.GetValue(org) is { } o
                ? (string.Empty, (IReadOnlyList<Scoresheet>)[await service.ReadAsync(caller, o, c, ct).OrFailAsync()])
                : await service.CountyAsync(caller, r.GetValue(county)!, c, ct).OrFailAsync() is var k ? (k.CountyName, k.Sheets) : default;
            var views = sheets.Select(ScoresheetView.From).ToArray();
            var file = r.GetValue(output)!;
            file.Directory?.Create();
            var temporary = file.FullName + ".part";
            await using (var stream = File.Create(temporary))
            {
                switch (f)
                {
                    case "csv": await ScoresheetExports.WriteCsvAsync(stream, ScoresheetExports.Lines(views), ct); break;
                    case "json": await ScoresheetExports.WriteJsonAsync(stream, ScoresheetExports.Lines(views), ct); break;
                    case "xlsx" when r.GetValue(org) is not null:
                        ScoresheetExports.WriteSchoolForm(stream, await service.SchoolFormAsync(caller, views[0].OrgCode, c, ct).OrFailAsync(), views[0]);
                        break;
                    case "pdf":
                        var pdf = await host.Services.GetRequiredService<PdfPrinter>().PrintAsync(SchoolFormHtml.Render(await service.SchoolFormAsync(caller, views[0].OrgCode, c, ct).OrFailAsync()), ct);
                        await stream.WriteAsync(pdf, ct);
                        break;
                    default: ScoresheetExports.WriteCountySummary(stream, countyName, c.ToString(), views); break;
                }
            }

            File.Move(temporary, file.FullName, overwrite: true);
            Console.WriteLine($"已写出 {views.Length} 份评分表：{file.FullName}");
            return 0;
        }));
        return command;
    }

    private static Command Report(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = CycleOption();
        var county = new Option<string?>("--county") { Description = "一个县（区）；不填为全部县（区）" };
        var xlsx = new Option<string?>("--xlsx") { Description = "另存为 Excel 文件（一条规则一个工作表）" };
        var command = new Command("report", "项目报告：学校星级年度的三星级占比、四星级通过率、四星级及以上占比、连续三年未晋级与★项读法") { cycle, county, xlsx };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var report = await host.Services.GetRequiredService<ProgrammeReportService>().BuildAsync(Ingest.Application.People.Caller.CommandLine("命令行"), c, r.GetValue(county), ct)
                .OrFailAsync();
            Console.WriteLine($"{c.Year}年度“互联网+教育”智慧校园星级认定 管理办法执行情况");
            Console.WriteLine(ProgrammeReportService.Basis);
            var share = new Table().Title(Markup.Escape($"三星级学校占比（不高于培育对象的 {Percent(report.Settings.ThreeStarShare)}，第十一条）"))
                .AddColumns("县（区）", "培育对象", "允许三星级", "教育局认定三星级", "其他", "待定", "结论");
            foreach (var l in report.ThreeStarShare)
            {
                share.AddRow(Markup.Escape($"{l.CountyName}（{l.CountyCode}）"), Number(l.CultivationSchools), Number(l.Allowed), Number(l.ThreeStarSchools.Count),
                    Number(l.NotThreeStar), Number(l.Undecided), l.Verdict);
            }

            AnsiConsole.Write(share);
            var waiting = report.ThreeStarShare.SelectMany(l => l.Schools.Where(s => s.Level == "待定").Select(s => (County: l.CountyName, School: s))).ToArray();
            if (waiting.Length > 0)
            {
                var undecided = new Table().Title("待定的学校").AddColumns("县（区）", "学校", "申报星级", "以此栏为准");
                const int shown = 20;
                foreach (var (countyName, school) in waiting.Take(shown))
                {
                    undecided.AddRow(Markup.Escape(countyName), Markup.Escape($"{school.SchoolName}（{school.SchoolCode}）"), school.AppliedStars, school.DecidedBy);
                }

                AnsiConsole.Write(undecided);
                if (waiting.Length > shown)
                {
                    Console.WriteLine($"……另有 {waiting.Length - shown} 所学校待定（完整名单见 GET /api/reports/{c}/programme）");
                }
            }

            var pass = new Table().Title(Markup.Escape($"报送的四星级申请认定通过率（低于 {Percent(report.Settings.FourStarPassRate)} 通报，第十五条）"))
                .AddColumns("县（区）", "报送", "通过", "未通过", "待定", "通过率", "结论");
            foreach (var l in report.FourStarPassRate)
            {
                pass.AddRow(Markup.Escape($"{l.CountyName}（{l.CountyCode}）"), Number(l.Applications), Number(l.Passed), Number(l.Failed.Count), Number(l.Undecided),
                    l.Rate is { } rate ? Percent(rate) : "—", l.Verdict);
            }

            if (report.FourStarPassRate.Count == 0)
            {
                Console.WriteLine("本年度没有报送教育厅的四星级及以上申请。");
            }
            else
            {
                AnsiConsole.Write(pass);
            }

            if (report.Demotions.Count == 0)
            {
                Console.WriteLine($"没有连续{report.Settings.YearsWithoutAdvance}年未晋级、应予降级的学校（第十四条）。");
            }
            else
            {
                var demotions = new Table().Title(Markup.Escape($"连续{report.Settings.YearsWithoutAdvance}年未晋级（第十四条）")).AddColumns("学校", "县（区）", "历年星级");
                foreach (var d in report.Demotions)
                {
                    demotions.AddRow(Markup.Escape($"{d.SchoolName}（{d.SchoolCode}）"), Markup.Escape(d.CountyName),
                        string.Join(" → ", d.Levels.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Year}年 {Ingest.Application.Year.LevelText.Of(l.Stars)}"))));
                }

                AnsiConsole.Write(demotions);
            }

            var shares = new Table().Title("四星级及以上学校占比（第十三条）").AddColumns("县（区）", "学校数", "四星级及以上", "占比");
            foreach (var f in report.FourStarShare)
            {
                shares.AddRow(Markup.Escape($"{f.CountyName}（{f.CountyCode}）"), Number(f.Schools), Number(f.FourStarPlus.Count), Percent(f.Share));
            }

            AnsiConsole.Write(shares);
            Console.WriteLine(report.ReadingDifferences.Count == 0 ? "★项两种读法下，各校星级相同。" : report.Reading + "：");
            foreach (var d in report.ReadingDifferences)
            {
                Console.WriteLine($"  {d.CountyName} {d.SchoolName}（{d.SchoolCode}）{d.DecidedBy}：现认定{d.Level}，另一读法{d.OtherLevel}");
            }

            if (r.GetValue(xlsx) is { } path)
            {
                await File.WriteAllBytesAsync(path, Ingest.Host.Documents.ProgrammeReportExport.Workbook(report), ct);
                Console.WriteLine($"已保存 {path}");
            }

            return 0;
        }));
        return command;

        static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
        static string Percent(decimal share) => string.Create(CultureInfo.InvariantCulture, $"{share * 100:0.#}%");
    }
}
