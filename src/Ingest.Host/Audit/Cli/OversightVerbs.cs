using System.CommandLine;
using Ingest.Application.Oversight;
using Ingest.Application.People;
using Ingest.Core.Periods;
using Ingest.Host.Cli;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;
using Spectre.Console;

namespace Ingest.Host.Audit.Cli;

/// <summary><c>oversight region|county</c>: the department's oversight of the bureaus' ratings at the command line.</summary>
internal static class OversightVerbs
{
    public static Command Command(Func<Func<Task<int>>, Task<int>> guard) =>
        new("oversight", "评定监督：各县（区）教育局评定与网上数据的比较、抽查、第十五条情况表与教育厅的决定")
        {
            Region(guard), County(guard), Table(guard), Draw(guard), Conclude(guard), Close(guard), Decide(guard),
        };

    private static Option<string> CountyOption() => new("--county") { Description = "县（区）代码", Required = true };

    private static Option<string> ByOption() => new("--by") { Description = "操作人姓名（记入审计日志）", Required = true };

    private static Command Table(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = CycleOption();
        var xlsx = new Option<string?>("--xlsx") { Description = "另存为 Excel 文件" };
        var command = new Command("table", "第十五条、第十三条情况表：各县（区）四星级通过率、抽查、四星级及以上占比、超出数据的分数、符合的情形与教育厅的决定") { cycle, xlsx };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var table = await host.Services.GetRequiredService<OversightService>().TableAsync(Caller.CommandLine(Environment.UserName), c, ct).OrFailAsync();
            var grid = new Table().AddColumns("县（区）", "报送四星级", "通过率", "抽查", "四星级及以上占比", "超出数据（分）", "符合第十五条的情形", "教育厅决定");
            foreach (var l in table.Counties)
            {
                grid.AddRow(Markup.Escape($"{l.CountyName}（{l.CountyCode}）"), $"{l.FourStarApplications}", Markup.Escape(l.FourStarRate is { } rate ? Percent(rate) : l.FourStarVerdict),
                    Markup.Escape(l.SpotChecked ? $"{l.SpotChecks} 所，不合格 {l.SpotCheckFailures} 所{(l.SpotCheckOutcome is { } o ? "，" + o : "，进行中")}" : "未抽查"),
                    l.FourStarShare is { } share ? Percent(share) : "—", RaterText.Score(l.Beyond), Markup.Escape(l.Conditions.Count == 0 ? "无" : string.Join("；", l.Conditions)),
                    Markup.Escape(l.Decision is { } d ? (d.Criticised ? "通报批评" : "不通报") + (d.Quota is { } q ? $"，培育名额 {q}" : string.Empty) : "未决定"));
            }

            Console.WriteLine($"{c.Year}年度学校星级评定 · 第十五条、第十三条情况表");
            AnsiConsole.Write(grid);
            if (r.GetValue(xlsx) is { } path)
            {
                await File.WriteAllBytesAsync(path, Documents.CountyTableExport.Workbook(table), ct);
                Console.WriteLine($"已写出：{Path.GetFullPath(path)}");
            }

            return 0;
        }));
        return command;
    }

    private static Command Draw(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = CycleOption();
        var county = CountyOption();
        var seed = new Option<long?>("--seed") { Description = "随机种子（不填由系统生成并记录）" };
        var by = ByOption();
        var command = new Command("draw", "抽取县（区）的抽查学校：二星级、三星级学校按学段分层抽取，随机种子与名单一并记录，不能重抽") { cycle, county, seed, by };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var draw = await host.Services.GetRequiredService<SpotCheckService>().DrawAsync(Caller.CommandLine(r.GetValue(by)!), r.GetValue(county)!, c, r.GetValue(seed), ct)
                .OrFailAsync();
            Console.WriteLine($"已抽取 {draw.Checks.Count} 所（可抽 {draw.Population.Count} 所，样本量 {draw.SampleSize}，随机种子 {draw.Seed}）：" +
                string.Join("、", draw.Checks.Select(k => $"{k.SchoolName}（{k.Stratum}，{RaterText.Stars(k.BureauStars)}）")));
            return 0;
        }));
        return command;
    }

    private static Command Conclude(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = CycleOption();
        var county = CountyOption();
        var school = new Option<string>("--school") { Description = "抽中的学校", Required = true };
        var note = new Option<string?>("--note") { Description = "教育厅的意见（不合格时必填）" };
        var by = ByOption();
        var command = new Command("conclude", "按抽中学校的教育厅评定栏判定抽查结论（合格或不合格）") { cycle, county, school, note, by };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var check = await host.Services.GetRequiredService<SpotCheckService>()
                .ConcludeAsync(Caller.CommandLine(r.GetValue(by)!), r.GetValue(county)!, c, r.GetValue(school)!, r.GetValue(note), ct).OrFailAsync();
            Console.WriteLine($"{check.SchoolName}：教育局评定 {RaterText.Stars(check.BureauStars)}，教育厅评定 {RaterText.Stars(check.DepartmentStars ?? 0)}，{check.Outcome}");
            return 0;
        }));
        return command;
    }

    private static Command Close(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = CycleOption();
        var county = CountyOption();
        var note = new Option<string?>("--note") { Description = "对县（区）的意见" };
        var by = ByOption();
        var command = new Command("close", "结束抽查：记录县（区）的抽查结果并向教育局公布") { cycle, county, note, by };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var draw = await host.Services.GetRequiredService<SpotCheckService>().CloseAsync(Caller.CommandLine(r.GetValue(by)!), r.GetValue(county)!, c, r.GetValue(note), ct)
                .OrFailAsync();
            Console.WriteLine($"抽查已结束：{draw.Outcome}");
            return 0;
        }));
        return command;
    }

    private static Command Decide(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = CycleOption();
        var county = CountyOption();
        var criticised = new Option<bool>("--criticised") { Description = "通报批评" };
        var quota = new Option<string?>("--quota") { Description = "下一年度培育名额（不填表示不调整）" };
        var note = new Option<string?>("--note") { Description = "说明（通报批评时必填）" };
        var by = ByOption();
        var command = new Command("decide", "记录教育厅对县（区）的决定（第十五条）") { cycle, county, criticised, quota, note, by };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var decision = await host.Services.GetRequiredService<OversightService>().DecideAsync(Caller.CommandLine(r.GetValue(by)!), r.GetValue(county)!, c,
                r.GetValue(criticised), r.GetValue(quota), r.GetValue(note), ct).OrFailAsync();
            Console.WriteLine($"已记录：{(decision.Criticised ? "通报批评" : "不通报批评")}{(decision.Quota is { } q ? $"，下一年度培育名额 {q} 所" : string.Empty)}");
            return 0;
        }));
        return command;
    }

    private static string Percent(decimal share) => RaterText.Number(Math.Round(share * 100, 1)) + "%";

    private static Option<string> CycleOption() => new("--cycle") { Description = "学校评定周期，例如 school:2025", Required = true };

    private static Command Region(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = CycleOption();
        var command = new Command("region", "全区：每个县（区）一行，超出数据最多的在前") { cycle };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var lines = await host.Services.GetRequiredService<OversightService>().RegionAsync(Caller.CommandLine(Environment.UserName), c, ct).OrFailAsync();
            var table = new Table().AddColumns("县（区）", "已评定", "未评定", "改写预填的学校", "调高", "调低", "超出数据（分）", "星级高于数据", "高评两级及以上", "现场项差异");
            foreach (var l in lines)
            {
                table.AddRow(Markup.Escape($"{l.CountyName}（{l.CountyCode}）"), $"{l.Rated}", $"{l.NotRated}", $"{l.WithOverrides}", $"{l.Raised}", $"{l.Lowered}",
                    RaterText.Score(l.Beyond), $"{l.LevelAboveData}", $"{l.FarAbove}", $"{l.OnSiteGaps}");
            }

            Console.WriteLine($"{c.Year}年度学校星级评定 · 评定监督（全区）");
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    private static Command County(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = CycleOption();
        var county = new Option<string>("--county") { Description = "县（区）代码", Required = true };
        var command = new Command("county", "一个县（区）：教育局改写的预填指标、评定星级与按数据所得星级、现场项与自评的差异") { cycle, county };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var report = await host.Services.GetRequiredService<OversightService>().CountyAsync(Caller.CommandLine(Environment.UserName), r.GetValue(county)!, c, ct)
                .OrFailAsync();
            var line = report.Line;
            Console.WriteLine($"{report.CountyName}（{report.CountyCode}）{c.Year}年度评定监督：已评定 {line.Rated} 所，未评定 {line.NotRated} 所；" +
                $"改写预填指标 {line.Raised + line.Lowered} 项（调高 {line.Raised}，调低 {line.Lowered}），超出数据 {RaterText.Score(line.Beyond)} 分；" +
                $"星级高于数据 {line.LevelAboveData} 所，其中高评两级及以上 {line.FarAbove} 所");
            var table = new Table().AddColumns("学校", "序号", "数据得分", "教育局评定", "差", "理由", "评定人");
            foreach (var school in report.Schools)
            {
                Console.WriteLine($"{school.SchoolName}（{school.SchoolCode}）：教育局评定 {RaterText.Score(school.BureauTotal)} 分 · {RaterText.BureauLevel(school.BureauStars)}；" +
                    $"按数据 {RaterText.Score(school.DataTotal)} 分 · {RaterText.Level(school.DataStars)}" + (school.FarAbove ? $"；高评：按数据低 {school.LevelsAbove} 级" : string.Empty));
                foreach (var o in school.Overrides)
                {
                    table.AddRow(Markup.Escape(school.SchoolName), PrintedItems.Number(o.Target), RaterText.Score(o.DataScore), RaterText.Score(o.BureauScore),
                        (o.Delta > 0 ? "+" : string.Empty) + RaterText.Score(o.Delta), Markup.Escape(o.Reason ?? "—"), Markup.Escape(o.By));
                }
            }

            AnsiConsole.Write(table);
            foreach (var school in report.Schools)
            {
                foreach (var g in school.OnSiteGaps)
                {
                    Console.WriteLine($"现场项差异：{school.SchoolName} 序号 {PrintedItems.Number(g.Target)} 学校自评 {RaterText.Score(g.SelfScore)} 分，教育局评定 {RaterText.Score(g.BureauScore)} 分（{g.By}）");
                }
            }

            return 0;
        }));
        return command;
    }
}
