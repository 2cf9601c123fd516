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
        new("oversight", "评定监督：各县（区）教育局评定与网上数据的比较") { Region(guard), County(guard) };

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
