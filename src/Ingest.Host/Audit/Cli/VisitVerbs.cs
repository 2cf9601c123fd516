using System.CommandLine;
using Ingest.Application.Oversight;
using Ingest.Application.People;
using Ingest.Core.Oversight;
using Ingest.Core.Periods;
using Ingest.Host.Cli;
using Ingest.Host.Web;

namespace Ingest.Host.Audit.Cli;

/// <summary><c>visit show|report|data|draw|note</c>: the county evaluation visit (seed 004, 一、评估方法) at the command line.</summary>
internal static class VisitVerbs
{
    public static Command Command(Func<Func<Task<int>>, Task<int>> guard) =>
        new("visit", "达标县实地评估：听取汇报、调阅数据（事前采集）、实地查看、座谈交流") { Show(guard), Report(guard), Data(guard), Draw(guard), Note(guard) };

    private static Option<string> CycleOption() => new("--cycle") { Description = "县（区）评估周期，例如 county:2025", Required = true };

    private static Option<string> CountyOption() => new("--county") { Description = "县（区）代码", Required = true };

    private static Option<string> ByOption() => new("--by") { Description = "操作人姓名（记入审计日志）", Required = true };

    private static Command Show(Func<Func<Task<int>>, Task<int>> guard)
    {
        var (cycle, county) = (CycleOption(), CountyOption());
        var command = new Command("show", "查看一个县（区）的实地评估记录") { cycle, county };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var view = await host.Services.GetRequiredService<VisitService>().ReadAsync(Caller.CommandLine(Environment.UserName), r.GetValue(county)!, c, ct).OrFailAsync();
            Print(view.CountyName, view.Visit);
            foreach (var e in view.Experts)
            {
                Console.WriteLine($"专家评分：{e.By} {e.Targets.Count} 项（{string.Join("、", e.Targets)}）");
            }

            return 0;
        }));
        return command;
    }

    private static Command Report(Func<Func<Task<int>>, Task<int>> guard)
    {
        var (cycle, county, by) = (CycleOption(), CountyOption(), ByOption());
        var file = new Option<string>("--file") { Description = "汇报文件：.txt（UTF-8 或 GB18030）或 .docx，2000字以内", Required = true };
        var command = new Command("report", "提交县（区）的汇报") { cycle, county, file, by };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            var path = r.GetValue(file)!;
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var visit = await host.Services.GetRequiredService<VisitService>().ReportAsync(Caller.CommandLine(r.GetValue(by)!), r.GetValue(county)!, c, null,
                await File.ReadAllBytesAsync(path, ct), Path.GetFileName(path), ct).OrFailAsync();
            Console.WriteLine($"汇报已保存（{VisitService.Length(visit.Report)} 字）");
            return 0;
        }));
        return command;
    }

    private static Command Data(Func<Func<Task<int>>, Task<int>> guard)
    {
        var (cycle, county, by) = (CycleOption(), CountyOption(), ByOption());
        var run = new Option<long>("--run") { Description = "已结束的采集批次编号", Required = true };
        var command = new Command("data", "选定事前采集的数据：专家按该批次结束时的数据评估") { cycle, county, run, by };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var visit = await host.Services.GetRequiredService<VisitService>().DataAsync(Caller.CommandLine(r.GetValue(by)!), r.GetValue(county)!, c, r.GetValue(run), ct)
                .OrFailAsync();
            Console.WriteLine($"已选定采集批次 {visit.DataRunId}（{PageText.Time(visit.DataAsOf!.Value)} 结束）的数据");
            return 0;
        }));
        return command;
    }

    private static Command Draw(Func<Func<Task<int>>, Task<int>> guard)
    {
        var (cycle, county, by) = (CycleOption(), CountyOption(), ByOption());
        var seed = new Option<long?>("--seed") { Description = "随机种子（不填由系统生成并记录）" };
        var command = new Command("draw", "抽取实地查看的学校：各学段分层抽取，随机种子与名单一并记录，不能重抽") { cycle, county, seed, by };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var visit = await host.Services.GetRequiredService<VisitService>().DrawAsync(Caller.CommandLine(r.GetValue(by)!), r.GetValue(county)!, c, r.GetValue(seed), ct)
                .OrFailAsync();
            Console.WriteLine($"已抽取 {visit.Sample.Count} 所（随机种子 {visit.Seed}）：{string.Join("、", visit.Sample.Select(s => $"{s.Name}（{s.Stratum}）"))}");
            return 0;
        }));
        return command;
    }

    private static Command Note(Func<Func<Task<int>>, Task<int>> guard)
    {
        var (cycle, county, by) = (CycleOption(), CountyOption(), ByOption());
        var speaker = new Option<string>("--speaker") { Description = "发言人：学校领导、教师或学生", Required = true };
        var school = new Option<string?>("--school") { Description = "学校（可选）" };
        var issue = new Option<string>("--issue") { Description = "提出的问题或意见（500 字以内）", Required = true };
        var command = new Command("note", "记录座谈交流中提出的问题或意见") { cycle, county, speaker, school, issue, by };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            await host.Services.GetRequiredService<VisitService>().NoteAsync(Caller.CommandLine(r.GetValue(by)!), r.GetValue(county)!, c, r.GetValue(speaker),
                r.GetValue(school), r.GetValue(issue), ct).OrFailAsync();
            Console.WriteLine("座谈记录已保存");
            return 0;
        }));
        return command;
    }

    private static void Print(string countyName, CountyVisit visit)
    {
        Console.WriteLine($"{countyName} {visit.Cycle} 实地评估");
        Console.WriteLine(visit.Report is null ? "听取汇报：尚未提交" : $"听取汇报：{VisitService.Length(visit.Report)} 字（{visit.ReportBy}，{PageText.Time(visit.ReportAt!.Value)}）");
        Console.WriteLine(visit.DataRunId is { } run ? $"调阅数据：采集批次 {run}（{PageText.Time(visit.DataAsOf!.Value)} 结束）" : "调阅数据：尚未选定采集批次");
        Console.WriteLine(visit.Seed is { } seed ? $"实地查看：随机种子 {seed}，{string.Join("、", visit.Sample.Select(s => $"{s.Name}（{s.Stratum}）"))}" : "实地查看：尚未抽取");
        foreach (var n in visit.Notes)
        {
            Console.WriteLine($"座谈交流：{n.Speaker}{(n.SchoolName is { } s ? "（" + s + "）" : string.Empty)}：{n.Issue}");
        }
    }
}
