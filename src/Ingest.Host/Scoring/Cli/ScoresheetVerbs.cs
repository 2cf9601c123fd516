using System.CommandLine;
using System.Globalization;
using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Data.Audit;
using Ingest.Data.Scoresheets;
using Ingest.Host.Cli;
using Ingest.Scoring.Sheets;

namespace Ingest.Host.Scoring.Cli;

/// <summary>
/// <c>scoresheet</c> verbs for rating staff: build (pre-fill or re-score), show, list a county's, and enter scores,
/// counts or flags.
/// </summary>
internal static partial class ScoresheetVerbs
{
    public static Command Command(Func<Func<Task<int>>, Task<int>> guard)
    {
        var command = new Command("scoresheet", "评分表：预填、查看、列出、填写和导出评分表；备案与重新开放；项目报告");
        command.Subcommands.Add(Build(guard));
        command.Subcommands.Add(Show(guard));
        command.Subcommands.Add(List(guard));
        command.Subcommands.Add(ScoresheetEntryVerbs.Enter(guard));
        command.Subcommands.Add(ScoresheetEntryVerbs.Withdraw(guard));
        command.Subcommands.Add(ScoresheetEntryVerbs.Confirm(guard));
        command.Subcommands.Add(ScoresheetEntryVerbs.Apply(guard));
        command.Subcommands.Add(ScoresheetEntryVerbs.Contact(guard));
        command.Subcommands.Add(ScoresheetFormVerbs.Form(guard));
        command.Subcommands.Add(ScoresheetFormVerbs.Import(guard));
        command.Subcommands.Add(ScoresheetStageVerbs.Finalise(guard));
        command.Subcommands.Add(ScoresheetStageVerbs.Reopen(guard));
        command.Subcommands.Add(Export(guard));
        command.Subcommands.Add(Report(guard));
        return command;
    }

    internal static Option<string> CycleOption() => new("--cycle") { Description = "评价周期：school:2025（学校星级认定）或 county:2024（达标县评估）", Required = true };

    private static Command Build(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = CycleOption();
        var org = new Option<string?>("--org") { Description = "一所学校（学校评定周期）或一个县（区）（县（区）评估周期）" };
        var county = new Option<string?>("--county") { Description = "或一个县（区）：学校评定周期为该县全部在办学校，县（区）评估周期为该县本身" };
        var region = new Option<bool>("--region") { Description = "或全区：学校评定周期为全区全部在办学校，县（区）评估周期为全部县（区），成批处理" };
        var command = new Command("build", "按当前数据预填或重新评分，已录入的各项保留") { cycle, org, county, region };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var service = host.Services.GetRequiredService<ScoresheetService>();
            var by = Caller.CommandLine(Environment.UserName);
            if (r.GetValue(org) is { } o)
            {
                ScoresheetPrinter.Sheet(await service.BuildAsync(by, o, c, ct).OrFailAsync(), Column.Bureau);
            }
            else if (r.GetValue(county) is { } k)
            {
                ScoresheetPrinter.List(await service.BuildCountyAsync(by, k, c, ct).OrFailAsync());
            }
            else if (r.GetValue(region))
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var built = await service.BuildRegionAsync(by, c, ct).OrFailAsync();
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
        var org = new Option<string>("--org") { Description = "学校或县（区）代码", Required = true };
        var column = new Option<string>("--column") { Description = "评分栏：self（学校自评）、bureau（教育局评定）或 department（教育厅评定）", DefaultValueFactory = _ => "bureau" };
        var command = new Command("show", "查看一张评分表：各栏合计与星级，以及一栏的每一项") { cycle, org, column };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            var col = RaterText.ParseColumn(r.GetValue(column));
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            ScoresheetPrinter.Sheet(await host.Services.GetRequiredService<ScoresheetService>().ReadAsync(Caller.CommandLine(Environment.UserName), r.GetValue(org)!, c, ct).OrFailAsync(), col);
            return 0;
        }));
        return command;
    }

    private static Command List(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = CycleOption();
        var county = new Option<string?>("--county") { Description = "县（区）代码；不填为全部县（区）" };
        var codes = new Option<bool>("--codes") { Description = "只输出机构代码，每行一个（供脚本使用）" };
        var command = new Command("list", "列出一个评定周期的评分表及各栏合计与星级") { cycle, county, codes };
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
}
