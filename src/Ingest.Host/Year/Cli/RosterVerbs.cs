using System.CommandLine;
using System.Globalization;
using Ingest.Application.People;
using Ingest.Application.Year;
using Ingest.Host.Cli;
using Spectre.Console;

namespace Ingest.Host.Year.Cli;

/// <summary>The cultivation roster at the command line: import a year's file, list it.</summary>
internal static class RosterVerbs
{
    public static Command Command(Func<Func<Task<int>>, Task<int>> guard) =>
        new("roster", "培育名单：自治区培育对象、县级培育学校与厅直属学校（第六–九条），三星级 30% 的基数") { Import(guard), List(guard) };

    private static Option<int> YearOption() => new("--year") { Description = "年度，例如 2025", Required = true };

    private static Command Import(Func<Func<Task<int>>, Task<int>> guard)
    {
        var year = YearOption();
        var file = new Option<string>("--file") { Description = $"培育名单：CSV（UTF-8 或 GB18030）或 xlsx，列为 {string.Join("、", RosterService.Columns)}", Required = true };
        var by = new Option<string>("--by") { Description = "导入人姓名", Required = true };
        var command = new Command("import", "导入培育名单：逐行检查，有一行不对则整份不导入；文件中的每个县（区）整体替换") { year, file, by };
        command.SetAction((r, ct) => guard(async () =>
        {
            var path = r.GetValue(file)!;
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var outcome = await host.Services.GetRequiredService<RosterService>().ImportAsync(Caller.CommandLine(r.GetValue(by)!), r.GetValue(year),
                await File.ReadAllBytesAsync(path, ct), Path.GetFileName(path), ct);
            if (outcome.Refusal is { } refusal)
            {
                return await CliOutcome.FileRefusedAsync(refusal, Path.GetFileName(path));
            }

            var done = outcome.Value;
            Console.WriteLine($"已导入 {done.FileName}：{done.Year}年度 {string.Join("、", done.Counties)}，共 {done.Schools} 所学校，新增 {done.Added} 所，移出 {done.Removed} 所");
            return 0;
        }));
        return command;
    }

    private static Command List(Func<Func<Task<int>>, Task<int>> guard)
    {
        var year = YearOption();
        var county = new Option<string?>("--county") { Description = "只列一个县（区）" };
        var command = new Command("list", "列出一个年度的培育名单") { year, county };
        command.SetAction((r, ct) => guard(async () =>
        {
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var entries = (await host.Services.GetRequiredService<RosterService>().ListAsync(Caller.CommandLine("命令行"), r.GetValue(year), r.GetValue(county), ct)).OrFail();
            var table = new Table().AddColumns("县（区）", "学校标识码", "学校", "类别", "批复文号", "批复日期");
            foreach (var e in entries)
            {
                table.AddRow(e.CountyCode, e.SchoolCode, Markup.Escape(e.SchoolName), RosterService.KindText(e.Kind), Markup.Escape(e.ApprovalDoc ?? "—"),
                    e.ApprovalDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—");
            }

            AnsiConsole.Write(table);
            Console.WriteLine($"共 {entries.Count} 所学校，其中自治区培育对象 {entries.Count(e => e.Kind == Ingest.Data.Organisations.RosterKind.Region)} 所");
            return 0;
        }));
        return command;
    }
}
