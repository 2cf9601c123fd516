using System.CommandLine;
using System.Globalization;
using Ingest.Application.Rating;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Data.Audit;
using Ingest.Data.Scoresheets;
using Ingest.Documents.Exports;
using Ingest.Documents.Forms;
using Ingest.Host.Cli;
using Ingest.Host.Documents;
using Ingest.Scoring.Sheets;
using Spectre.Console;

namespace Ingest.Host.Scoring.Cli;

/// <summary>
/// <c>scoresheet</c> verbs for rating staff: build (pre-fill or re-score), show, list a county's, and enter scores,
/// counts or flags.
/// </summary>
internal static class ScoresheetVerbs
{
    public static Command Command(Func<Func<Task<int>>, Task<int>> guard)
    {
        var command = new Command("scoresheet", "Pre-filled scoresheets: build, show, list, fill and export them; the programme report.");
        command.Subcommands.Add(Build(guard));
        command.Subcommands.Add(Show(guard));
        command.Subcommands.Add(List(guard));
        command.Subcommands.Add(ScoresheetEntryVerbs.Enter(guard));
        command.Subcommands.Add(ScoresheetEntryVerbs.Withdraw(guard));
        command.Subcommands.Add(ScoresheetEntryVerbs.Apply(guard));
        command.Subcommands.Add(ScoresheetEntryVerbs.Contact(guard));
        command.Subcommands.Add(ScoresheetFormVerbs.Form(guard));
        command.Subcommands.Add(ScoresheetFormVerbs.Import(guard));
        command.Subcommands.Add(Export(guard));
        command.Subcommands.Add(Report(guard));
        return command;
    }

    internal static Option<string> CycleOption() => new("--cycle") { Description = "评价周期：school:2025（学校星级认定）或 county:2024（达标县评估）", Required = true };

    private static Command Build(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = CycleOption();
        var org = new Option<string?>("--org") { Description = "A school (school cycle) or a county (county cycle)." };
        var county = new Option<string?>("--county") { Description = "Or a county: every active school of it (school cycle), or the county itself." };
        var region = new Option<bool>("--region") { Description = "Or the whole region: every active school (school cycle) or every county (county cycle), set-based." };
        var command = new Command("build", "Pre-fills or re-scores scoresheets from the current facts; entries are kept.") { cycle, org, county, region };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var service = host.Services.GetRequiredService<ScoresheetPrefill>();
            var by = Actor.CommandLine(Environment.UserName);
            if (r.GetValue(org) is { } o)
            {
                ScoresheetPrinter.Sheet(await service.BuildAsync(o, c, by, ct), Column.Bureau);
            }
            else if (r.GetValue(county) is { } k)
            {
                ScoresheetPrinter.List(await service.BuildCountyAsync(k, c, by, ct));
            }
            else if (r.GetValue(region))
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var built = await service.BuildRegionAsync(c, by, ct);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"全区 {c} 评分表 {built.Sheets} 张（新建 {built.Created} 张），改动 {built.LinesWritten} 行、未变 {built.LinesUnchanged} 行，用时 {clock.Elapsed.TotalSeconds:0.00} 秒"));
            }
            else
            {
                throw new FormatException("请给出 --org（一所学校或县）、--county（该县全部学校）或 --region（全区）");
            }

            return 0;
        }));
        return command;
    }

    private static Command Show(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = CycleOption();
        var org = new Option<string>("--org") { Description = "School or county code.", Required = true };
        var column = new Option<string>("--column") { Description = "self, bureau or department.", DefaultValueFactory = _ => "bureau" };
        var command = new Command("show", "Shows a scoresheet: totals and star level per column, and every line of one column.") { cycle, org, column };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            var col = RaterText.ParseColumn(r.GetValue(column));
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            ScoresheetPrinter.Sheet(await host.Services.GetRequiredService<ScoresheetService>().GetOrBuildAsync(r.GetValue(org)!, c, Actor.CommandLine(Environment.UserName), ct), col);
            return 0;
        }));
        return command;
    }

    private static Command List(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = CycleOption();
        var county = new Option<string?>("--county") { Description = "County code; default every county." };
        var codes = new Option<bool>("--codes") { Description = "Print only the organisation codes, one per line (for scripts)." };
        var command = new Command("list", "Lists the scoresheets of a cycle with each column's total and star level.") { cycle, county, codes };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var list = await host.Services.GetRequiredService<ScoresheetReader>().ListAsync(c, r.GetValue(county), ct);
            if (r.GetValue(codes))
            {
                foreach (var s in list)
                {
                    Console.WriteLine(s.OrgCode);
                }
            }
            else
            {
                ScoresheetPrinter.List(list);
            }

            return 0;
        }));
        return command;
    }

    private static Command Export(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = CycleOption();
        var org = new Option<string?>("--org") { Description = "One scoresheet: a school (school cycle) or a county (county cycle)." };
        var county = new Option<string?>("--county") { Description = "Or every scoresheet of a county in the cycle." };
        var format = new Option<string>("--format") { Description = "csv 或 json（每条评分），xlsx（--org 时为星级认定表，--county 时为县汇总表），pdf（一所学校的星级认定表）", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The file to write.", Required = true };
        var command = new Command("export", "Exports scoresheets: every line as CSV or JSON, or the official forms as Excel.") { cycle, org, county, format, output };
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
            var (countyName, sheets) = r.GetValue(org) is { } o
                ? (string.Empty, (IReadOnlyList<Scoresheet>)[await service.GetOrBuildAsync(o, c, Actor.CommandLine(Environment.UserName), ct)])
                : await service.LoadCountyAsync(r.GetValue(county)!, c, ct);
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
                        ScoresheetExports.WriteSchoolForm(stream, await service.SchoolFormAsync(views[0].OrgCode, c, opener: null, ct), views[0]);
                        break;
                    case "pdf":
                        var pdf = await host.Services.GetRequiredService<PdfPrinter>().PrintAsync(SchoolFormHtml.Render(await service.SchoolFormAsync(views[0].OrgCode, c, opener: null, ct)), ct);
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
        var county = new Option<string?>("--county") { Description = "One county; default every county." };
        var command = new Command("report", "The programme rules of a school star year: 3-star share, 4-star pass rate, demotion flags.") { cycle, county };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var report = await host.Services.GetRequiredService<ProgrammeReportService>().BuildAsync(c, r.GetValue(county), ct);
            Console.WriteLine($"{c.Year}年度“互联网+教育”智慧校园星级认定 管理办法执行情况");
            Console.WriteLine(ProgrammeReportService.Basis);
            var share = new Table().Title(Markup.Escape($"三星级学校占比（不高于培育学校的 {Percent(report.Settings.ThreeStarShare)}，第十一条）"))
                .AddColumns("县（区）", "培育学校", "允许三星级", "教育局认定三星级", "其他", "待定", "结论");
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

            var pass = new Table().Title(Markup.Escape($"四星级认定通过率（低于 {Percent(report.Settings.FourStarPassRate)} 通报，第十五条）"))
                .AddColumns("县（区）", "申报", "通过", "未通过", "待定", "通过率", "结论");
            foreach (var l in report.FourStarPassRate)
            {
                pass.AddRow(Markup.Escape($"{l.CountyName}（{l.CountyCode}）"), Number(l.Applications), Number(l.Passed), Number(l.Failed.Count), Number(l.Undecided),
                    l.Rate is { } rate ? Percent(rate) : "—", l.Verdict);
            }

            if (report.FourStarPassRate.Count == 0)
            {
                Console.WriteLine("本年度没有申报四星级及以上的学校。");
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
                        string.Join(" → ", d.Levels.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Year}年 {RaterText.Stars(l.Stars)}"))));
                }

                AnsiConsole.Write(demotions);
            }

            return 0;
        }));
        return command;

        static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
        static string Percent(decimal share) => string.Create(CultureInfo.InvariantCulture, $"{share * 100:0.#}%");
    }
}
