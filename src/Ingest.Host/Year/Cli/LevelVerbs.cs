using System.CommandLine;
using Ingest.Application.People;
using Ingest.Application.Year;
using Ingest.Host.Cli;
using Spectre.Console;

namespace Ingest.Host.Year.Cli;

/// <summary>The rating year after 备案 at the command line: list, forward, award, 降低 or 取消, import earlier levels.</summary>
internal static class LevelVerbs
{
    public static Command Command(Func<Func<Task<int>>, Task<int>> guard) =>
        new("levels", "星级认定与授牌：报送四星级申请、授牌、降低或取消星级（第十四条）、导入既有星级") { List(guard), Forward(guard), Award(guard), Change(guard), Import(guard) };

    private static Option<int> YearOption() => new("--year") { Description = "年度，例如 2025", Required = true };

    private static Option<string> ByOption() => new("--by") { Description = "操作人姓名", Required = true };

    private static Command List(Func<Func<Task<int>>, Task<int>> guard)
    {
        var year = YearOption();
        var county = new Option<string?>("--county") { Description = "只列一个县（区）" };
        var command = new Command("list", "列出一个年度各校的申报、认定单位、已获星级与授牌") { year, county };
        command.SetAction((r, ct) => guard(async () =>
        {
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var list = await host.Services.GetRequiredService<LevelService>().DecisionsAsync(Caller.CommandLine("命令行"), r.GetValue(year), r.GetValue(county), ct).OrFailAsync();
            var table = new Table().AddColumns("县（区）", "学校标识码", "学校", "申报星级", "认定单位", "已获星级", "本年度");
            foreach (var d in list)
            {
                table.AddRow(d.CountyCode, d.SchoolCode, Markup.Escape(d.SchoolName), d.AppliedStars is { } a ? LevelText.Of(a) : "未申报", d.ByDepartment ? "教育厅" : "教育局",
                    LevelText.Held(d.Held), Markup.Escape(d.State));
            }

            AnsiConsole.Write(table);
            Console.WriteLine($"共 {list.Count} 所学校，已授牌 {list.Count(d => d.Awarded is not null)} 所");
            return 0;
        }));
        return command;
    }

    private static Command Forward(Func<Func<Task<int>>, Task<int>> guard)
    {
        var year = YearOption();
        var school = new Option<string>("--school") { Description = "学校标识码", Required = true };
        var by = ByOption();
        var command = new Command("forward", "报送学校的四星级（五星级）申请：学校已备案，且申报四星级及以上") { year, school, by };
        command.SetAction((r, ct) => guard(async () =>
        {
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var d = await host.Services.GetRequiredService<LevelService>().ForwardAsync(Caller.CommandLine(r.GetValue(by)!), r.GetValue(year), r.GetValue(school)!, ct).OrFailAsync();
            Console.WriteLine($"已报送：{d.SchoolName}（{d.SchoolCode}）申报{LevelText.Of(d.AppliedStars ?? 0)}，{d.State}");
            return 0;
        }));
        return command;
    }

    private static Command Award(Func<Func<Task<int>>, Task<int>> guard)
    {
        var year = YearOption();
        var county = new Option<string?>("--county") { Description = "只授一个县（区）" };
        var schools = new Option<string[]>("--school") { Description = "只授这些学校（可重复）", AllowMultipleArgumentsPerToken = true };
        var date = new Option<string>("--date") { Description = "授牌日期，例如 2025-09-10", Required = true };
        var document = new Option<string?>("--document") { Description = "文号" };
        var by = ByOption();
        var command = new Command("award", "授牌：为认定已完成的学校登记星级（二、三星级以教育局名义，报送申请与厅直属学校以教育厅名义），每校每年一次")
            { year, county, schools, date, document, by };
        command.SetAction((r, ct) => guard(async () =>
        {
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var named = r.GetValue(schools) is { Length: > 0 } s ? s : null;
            var outcome = await host.Services.GetRequiredService<LevelService>().AwardAsync(Caller.CommandLine(r.GetValue(by)!), r.GetValue(year), r.GetValue(county), named,
                r.GetValue(date), r.GetValue(document), ct);
            if (outcome.Refusal is { } refused)
            {
                // Every school passed over, with its reason, so the person sees what still waits.
                await Console.Error.WriteLineAsync($"ingest: {refused.Message}");
                foreach (var e in refused.Errors.Where(e => e.Message != refused.Message))
                {
                    await Console.Error.WriteLineAsync("  " + e.Message);
                }

                return 1;
            }

            var done = outcome.Value;
            foreach (var a in done.Awarded)
            {
                Console.WriteLine($"已授牌：{a.SchoolName}（{a.SchoolCode}）{LevelText.Of(a.Stars)}，{a.Body}");
            }

            foreach (var passed in done.Skipped)
            {
                Console.WriteLine($"未授牌：{passed.Message}");
            }

            return 0;
        }));
        return command;
    }

    private static Command Change(Func<Func<Task<int>>, Task<int>> guard)
    {
        var year = YearOption();
        var school = new Option<string>("--school") { Description = "学校标识码", Required = true };
        var action = new Option<string>("--action") { Description = "降低 或 取消", Required = true };
        var stars = new Option<int?>("--stars") { Description = "降低后的星级（2 至 4）" };
        var date = new Option<string>("--date") { Description = "决定日期，例如 2027-10-10", Required = true };
        var document = new Option<string>("--document") { Description = "文号", Required = true };
        var reason = new Option<string?>("--reason") { Description = "理由" };
        var by = ByOption();
        var command = new Command("change", "降低或取消学校的星级（第十四条，教育厅决定）") { year, school, action, stars, date, document, reason, by };
        command.SetAction((r, ct) => guard(async () =>
        {
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var e = await host.Services.GetRequiredService<LevelService>().ChangeAsync(Caller.CommandLine(r.GetValue(by)!), r.GetValue(school)!, r.GetValue(year),
                r.GetValue(action), r.GetValue(stars), r.GetValue(date), r.GetValue(document), r.GetValue(reason), ct).OrFailAsync();
            Console.WriteLine($"{e.SchoolName}（{e.SchoolCode}）：{e.ActionText}，现为{LevelText.Held(e)}（{e.Document}）");
            return 0;
        }));
        return command;
    }

    private static Command Import(Func<Func<Task<int>>, Task<int>> guard)
    {
        var file = new Option<string>("--file") { Description = $"既有星级：CSV（UTF-8 或 GB18030）或 xlsx，列为 {string.Join("、", LevelService.Columns)}", Required = true };
        var by = ByOption();
        var command = new Command("import", "导入本系统启用前已授牌的星级：逐行检查，有一行不对则整份不导入") { file, by };
        command.SetAction((r, ct) => guard(async () =>
        {
            var path = r.GetValue(file)!;
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var outcome = await host.Services.GetRequiredService<LevelService>().ImportAsync(Caller.CommandLine(r.GetValue(by)!), await File.ReadAllBytesAsync(path, ct),
                Path.GetFileName(path), ct);
            if (outcome.Refusal is { } refusal)
            {
                return await CliOutcome.FileRefusedAsync(refusal, Path.GetFileName(path));
            }

            Console.WriteLine($"已导入 {Path.GetFileName(path)}：{outcome.Value} 条既有星级");
            return 0;
        }));
        return command;
    }
}
