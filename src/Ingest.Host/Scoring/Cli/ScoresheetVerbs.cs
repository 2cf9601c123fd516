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
        var org = new Option<string>("--org") { Description = "School or county code.", Required = true };
        var column = new Option<string>("--column") { Description = "self, bureau or department.", DefaultValueFactory = _ => "bureau" };
        var command = new Command("show", "Shows a scoresheet: totals and star level per column, and every line of one column.") { cycle, org, column };
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
}
