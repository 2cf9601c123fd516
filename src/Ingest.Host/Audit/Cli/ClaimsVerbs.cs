using System.CommandLine;
using System.Text;
using Ingest.Application.Claims;
using Ingest.Application.People;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Data.Audit;
using Ingest.Data.Organisations;
using Ingest.Documents.Claims;
using Ingest.Host.Cli;
using Ingest.Host.Web;
using Ingest.Scoring.Claims;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;
using Spectre.Console;

namespace Ingest.Host.Audit.Cli;

/// <summary><c>claims template|import|report</c>: the schools' self-assessment claims at the command line.</summary>
internal static class ClaimsVerbs
{
    public static Command Command(Func<Func<Task<int>>, Task<int>> guard) =>
        new("claims", "学校自评：生成自评文件模板、导入自评文件、查看自评核查报告") { Template(guard), Import(guard), Report(guard) };

    private static Option<string> CycleOption() => new("--cycle") { Description = "学校评定周期，例如 school:2025", Required = true };

    private static Command Template(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = CycleOption();
        var org = new Option<string?>("--org") { Description = "一所学校" };
        var county = new Option<string?>("--county") { Description = "或县（区）：该县每所学校" };
        var output = new Option<string>("--out") { Description = "写到的文件：.csv（UTF-8）或 .xlsx", Required = true };
        var command = new Command("template", "生成自评文件模板：每所学校每项指标一行，分项写作 16.1、16.2……") { cycle, org, county, output };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            if (r.GetValue(org) is null == r.GetValue(county) is null)
            {
                throw new FormatException("--org 与 --county 须给出且只给出一个");
            }

            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var organisations = host.Services.GetRequiredService<OrganisationStore>();
            var schools = r.GetValue(org) is { } o
                ? (await organisations.FindAsync(o, ct) is { Level: OrgLevel.School } one ? [one] : throw new FormatException($"机构目录中没有学校 {o}"))
                : (await organisations.ListSchoolsAsync(r.GetValue(county)!, ct)).Where(s => s.Active).ToArray();
            var rows = ClaimsTemplate.Rows(RubricLibrary.Default(c.Rubric), schools);
            var path = r.GetValue(output)!;
            await using (var stream = File.Create(path))
            {
                if (path.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
                {
                    ClaimsTemplate.WriteWorkbook(stream, rows);
                }
                else
                {
                    await stream.WriteAsync(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(ClaimsTemplate.Csv(rows))).ToArray(), ct);
                }
            }

            Console.WriteLine($"已写出：{Path.GetFullPath(path)}（{schools.Length} 所学校，{rows.Count} 行）");
            return 0;
        }));
        return command;
    }

    private static Command Import(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = CycleOption();
        var file = new Option<string>("--file") { Description = "自评文件：CSV（UTF-8 或 GB18030）或 xlsx", Required = true };
        var by = new Option<string>("--by") { Description = "导入人姓名（记入学校自评栏的录入）", Required = true };
        var command = new Command("import", "导入自评文件：逐行检查，有一行不对则整份不导入") { cycle, file, by };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            var path = r.GetValue(file)!;
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var outcome = await host.Services.GetRequiredService<ClaimsService>().ImportAsync(Caller.CommandLine(r.GetValue(by)!), await File.ReadAllBytesAsync(path, ct),
                Path.GetFileName(path), c, ct);
            if (outcome.Refusal is { } refusal)
            {
                return await CliOutcome.FileRefusedAsync(refusal, Path.GetFileName(path));
            }

            var done = outcome.Value;
            Console.WriteLine($"已导入 {Path.GetFileName(path)}：{done.Schools.Count} 所学校，{done.Rows} 行，学校自评栏录入 {done.Entries} 项");
            return 0;
        }));
        return command;
    }

    private static Command Report(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = CycleOption();
        var county = new Option<string>("--county") { Description = "县（区）代码", Required = true };
        var asOf = new Option<string?>("--as-of") { Description = "截至某时的报告（例如 2026-11-30T08:00，北京时间；或带时区）" };
        var run = new Option<string?>("--run") { Description = "或截至某采集批次结束时的报告（批次编号）" };
        var command = new Command("report", "自评核查报告：自评高于网上数据的项目，超出的分数，等级存疑的学校") { cycle, county, asOf, run };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            var moment = ReportMoment.Parse(r.GetValue(asOf), r.GetValue(run))
                ?? throw new FormatException("--as-of 须为时间（例如 2026-11-30T08:00），--run 须为批次编号，两者只能给出一个");
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var report = await host.Services.GetRequiredService<ClaimsReportService>().CountyAsync(Caller.CommandLine(Environment.UserName), r.GetValue(county)!, c, moment, ct)
                .OrFailAsync();
            Console.WriteLine($"{report.CountyName}（{report.CountyCode}）{c.Year}年度自评核查：{report.SchoolsWithClaims} 所学校有自评，" +
                $"{report.SchoolsWithExcess} 所高于数据，共超出 {RaterText.Score(report.TotalExcess)} 分；等级存疑 {report.LevelInDoubt.Count} 所");
            Console.WriteLine((report.Basis.AsOfRun is { } at ? $"截至采集批次 {at} 结束时（{PageText.Time(report.Basis.AsOf)}）"
                    : report.Basis.AsOf is { } time ? $"截至 {PageText.Time(time)}" : "当前数据") +
                "；所用数据来自采集批次 " + (report.Basis.Runs.Count == 0 ? "（无）" : string.Join("、", report.Basis.Runs.Select(b => b.Id))));
            var table = new Table().AddColumns("学校", "序号", "自评得分", "数据得分", "超出", "自评数据", "网上数据", "结论");
            foreach (var school in report.Schools)
            {
                foreach (var line in school.Lines.Where(l => l.Verdict != ClaimVerdict.Consistent))
                {
                    table.AddRow(Markup.Escape($"{school.SchoolName}（{school.SchoolCode}）"), Markup.Escape(Ingest.Scoring.Rubrics.PrintedItems.Number(line.Claim.Target)), RaterText.Score(line.Claim.Score),
                        RaterText.Score(line.DataScore), RaterText.Score(line.Excess), line.Claim.Figure is { } figure ? RaterText.Number(figure) : "—",
                        Markup.Escape(line.Online is { } f ? RaterText.Evidence(f) : "—"), Markup.Escape(line.Verdict + (line.Reason is { } why ? "：" + why : string.Empty)));
                }

                if (school.LevelInDoubt)
                {
                    AnsiConsole.MarkupLine(Markup.Escape($"等级存疑：{school.SchoolName}（{school.SchoolCode}）自评 {RaterText.Level(school.ClaimedStars)}，" +
                        $"按数据 {RaterText.Level(school.DataStars)}；决定等级的是 {string.Join("、", school.DecidingVetoItems.Select(i => "★" + i))}"));
                }
            }

            AnsiConsole.Write(table);
            foreach (var surge in report.Surges)
            {
                Console.WriteLine($"期末突击：{surge.SchoolCode} {RaterText.Period(surge.Period)} 最后 {surge.LastWeeks.Count} 个教学周开课 {RaterText.Number(surge.LastWeeksLessons)} 节，" +
                    $"周中位数 {RaterText.Number(surge.Median)} 节，阈值 {RaterText.Number(surge.Threshold)} 节；每周：" +
                    string.Join(" ", surge.Series.Select(w => $"{w.Week:MM-dd}:{RaterText.Number(w.Lessons)}")));
            }

            foreach (var repeated in report.Repeated)
            {
                Console.WriteLine($"连续两个周期高于数据：{repeated.SchoolName}（{repeated.SchoolCode}）序号 {repeated.Target}，" +
                    $"{repeated.PreviousCycle} 超出 {RaterText.Score(repeated.PreviousExcess)} 分，{repeated.Cycle} 超出 {RaterText.Score(repeated.Excess)} 分");
            }

            return 0;
        }));
        return command;
    }
}
