using System.CommandLine;
using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Core.Periods;
using Ingest.Host.Cli;

namespace Ingest.Host.Scoring.Cli;

/// <summary>备案 and reopening at the command line: the same use cases as the county page and the API.</summary>
internal static class ScoresheetStageVerbs
{
    public static Command Finalise(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = ScoresheetVerbs.CycleOption();
        var county = new Option<string>("--county") { Description = "县（区）代码", Required = true };
        var by = new Option<string>("--by") { Description = "备案人姓名", Required = true };
        var command = new Command("finalise", "备案（定稿）一个县（区）的学校评分表：教育局评定栏在每所学校都完成后，学校自评与教育局评定两栏不再修改，也不再随夜间采集重新评分")
            { cycle, county, by };
        command.SetAction((r, ct) => guard(async () =>
        {
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var done = await host.Services.GetRequiredService<ScoresheetService>().FinaliseCountyAsync(Caller.CommandLine(r.GetValue(by)!), r.GetValue(county)!,
                EvaluationCycle.Parse(r.GetValue(cycle)!), ct).OrFailAsync();
            Console.WriteLine($"已备案：{r.GetValue(county)} 的 {done.Sheets.Count(s => s.Finalised)} 张学校评分表定稿（本次 {done.Changed} 张）");
            return 0;
        }));
        return command;
    }

    public static Command Reopen(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = ScoresheetVerbs.CycleOption();
        var org = new Option<string>("--org") { Description = "县（区）代码（整县重新开放）或学校代码", Required = true };
        var reason = new Option<string>("--reason") { Description = "重新开放的理由", Required = true };
        var by = new Option<string>("--by") { Description = "操作人姓名", Required = true };
        var command = new Command("reopen", "重新开放已备案的评分表（教育厅决定，须写明理由）") { cycle, org, reason, by };
        command.SetAction((r, ct) => guard(async () =>
        {
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var done = await host.Services.GetRequiredService<ScoresheetService>().ReopenAsync(Caller.CommandLine(r.GetValue(by)!), r.GetValue(org)!,
                EvaluationCycle.Parse(r.GetValue(cycle)!), r.GetValue(reason), ct).OrFailAsync();
            Console.WriteLine($"已重新开放 {done.Changed} 张评分表");
            return 0;
        }));
        return command;
    }
}
