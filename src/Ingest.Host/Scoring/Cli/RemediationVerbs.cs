using System.CommandLine;
using Ingest.Application.Bulletins;
using Ingest.Application.People;
using Ingest.Application.Remediation;
using Ingest.Core.Periods;
using Ingest.Documents.Bulletins;
using Ingest.Host.Cli;
using Ingest.Host.Documents;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;

namespace Ingest.Host.Scoring.Cli;

/// <summary><c>remediation plan|county</c> and <c>bulletin show</c>: a school's gap plan, a county's 整改 items, and the county bulletin at the command line.</summary>
internal static class RemediationVerbs
{
    public static Command Remediation(Func<Func<Task<int>>, Task<int>> guard) =>
        new("remediation", "整改：学校的差距清单与整改项，县（区）的整改清单") { Plan(guard), County(guard) };

    public static Command Bulletin(Func<Func<Task<int>>, Task<int>> guard)
    {
        var (cycle, county) = (CycleOption(), CountyOption());
        var docx = new Option<string?>("--docx") { Description = "另存为 Word 文件（草稿：待填处标为【待填】）" };
        var show = new Command("show", "查看县（区）督导评估通报的草稿") { cycle, county, docx };
        show.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var view = await host.Services.GetRequiredService<BulletinService>().DraftAsync(Caller.CommandLine(Environment.UserName), r.GetValue(county)!, c, ct).OrFailAsync();
            foreach (var p in view.Draft.Paragraphs)
            {
                Console.WriteLine(p.Text);
            }

            Console.WriteLine($"依据 {view.Sheets} 所学校的评分表（已备案 {view.Finalised} 所）；待填 {view.Draft.Waiting.Count} 处；附件列出数据 {view.Draft.Annex.Count} 项");
            if (r.GetValue(docx) is { } path)
            {
                await File.WriteAllBytesAsync(path, BulletinDocx.Write(view.Draft), ct);
                Console.WriteLine($"已写入 {path}");
            }

            return 0;
        }));
        return new Command("bulletin", "县（区）督导评估通报") { show };
    }

    private static Option<string> CycleOption() => new("--cycle") { Description = "学校星级评定年度，例如 school:2025", Required = true };

    private static Option<string> CountyOption() => new("--county") { Description = "县（区）代码", Required = true };

    private static Command Plan(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = CycleOption();
        var org = new Option<string>("--org") { Description = "学校标识码", Required = true };
        var command = new Command("plan", "查看一所学校的差距清单（按教育局评定）与整改项") { cycle, org };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var view = await host.Services.GetRequiredService<RemediationService>().SchoolAsync(Caller.CommandLine(Environment.UserName), r.GetValue(org)!, c, ct).OrFailAsync();
            if (view.Plan is not { } plan)
            {
                Console.WriteLine(view.PlanProblem);
                return 0;
            }

            Console.WriteLine($"{view.OrgName}：教育局评定 {RaterText.Score(plan.Total)} 分，{(plan.Stars is { } s ? RaterText.Stars(s) : "未达到星级")}；最多可恢复 {RaterText.Score(plan.Recoverable)} 分");
            Console.WriteLine(plan.Headline ?? "已是最高星级");
            foreach (var line in plan.Lines)
            {
                Console.WriteLine($"  {line.Text}");
            }

            Console.WriteLine($"尚未评分或无法计算 {plan.Waiting.Count} 项");
            foreach (var i in view.Items)
            {
                Console.WriteLine($"整改项 {PrintedItems.Number(i.Target)}：{i.Status}，截止 {i.Deadline:yyyy-MM-dd}{(i.DataMetRun is { } run ? $"，数据已达标（采集批次 {run}）" : string.Empty)}");
            }

            return 0;
        }));
        return command;
    }

    private static Command County(Func<Func<Task<int>>, Task<int>> guard)
    {
        var (cycle, county) = (CycleOption(), CountyOption());
        var xlsx = new Option<string?>("--xlsx") { Description = "另存为 Excel 整改清单" };
        var command = new Command("county", "查看县（区）的整改清单与逾期项") { cycle, county, xlsx };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var view = await host.Services.GetRequiredService<RemediationService>().CountyAsync(Caller.CommandLine(Environment.UserName), r.GetValue(county)!, c, ct).OrFailAsync();
            Console.WriteLine($"{view.CountyName}：整改项 {view.Items.Count} 项，逾期 {view.Overdue.Count} 项（统计日期 {view.Today:yyyy-MM-dd}）");
            foreach (var i in view.Items)
            {
                Console.WriteLine($"  {i.OrgName} 指标 {PrintedItems.Number(i.Target)}：{i.Status}，截止 {i.Deadline:yyyy-MM-dd}{(i.OverdueOn(view.Today) ? "（逾期）" : string.Empty)}");
            }

            if (r.GetValue(xlsx) is { } path)
            {
                await File.WriteAllBytesAsync(path, RemediationExport.Workbook(view), ct);
                Console.WriteLine($"已写入 {path}");
            }

            return 0;
        }));
        return command;
    }
}
