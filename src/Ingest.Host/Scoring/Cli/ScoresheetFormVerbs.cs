using System.CommandLine;
using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Core.Periods;
using Ingest.Data.Audit;
using Ingest.Documents.Forms;
using Ingest.Host.Cli;
using Ingest.Scoring.Sheets;

namespace Ingest.Host.Scoring.Cli;

/// <summary>
/// A whole column filled in one step: <c>form</c> writes the 填报表 of a school (or one per school of a county) for a
/// column, <c>import</c> reads filled ones back, each file all or nothing.
/// </summary>
internal static class ScoresheetFormVerbs
{
    public static Command Form(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = ScoresheetVerbs.CycleOption();
        var org = new Option<string?>("--org") { Description = "一所学校（或县）的代码：写出一份填报表" };
        var county = new Option<string?>("--county") { Description = "或县（区）代码：为该县每所学校各写一份" };
        var column = new Option<string>("--column") { Description = "要填的评分栏：self（学校自评）、bureau（教育局评定）或 department（教育厅评定）", Required = true };
        var output = new Option<string>("--out") { Description = "--org 时为文件或文件夹，--county 时为文件夹", Required = true };
        var command = new Command("form", "写出填报表（Excel）：每项指标的内容、分值、预填得分及依据，黄色单元格供填写") { cycle, org, county, column, output };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            var col = RaterText.ParseColumn(r.GetValue(column));
            if (r.GetValue(org) is null == r.GetValue(county) is null)
            {
                throw new FormatException("--org 与 --county 须给出且只给出一个");
            }

            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var service = host.Services.GetRequiredService<ScoresheetService>();
            var caller = Caller.CommandLine(Environment.UserName);
            var sheets = r.GetValue(org) is { } o
                ? [await service.ReadAsync(caller, o, c, ct).OrFailAsync()]
                : (await service.CountyAsync(caller, r.GetValue(county)!, c, ct).OrFailAsync()).Sheets;
            var target = r.GetValue(output)!;
            var intoFolder = r.GetValue(county) is not null || Directory.Exists(target) || target.EndsWith('/');
            foreach (var sheet in sheets)
            {
                var path = intoFolder ? Path.Combine(target, FillForm.FileName(sheet, col)) : target;
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                await using (var stream = File.Create(path + ".part"))
                {
                    FillForm.Write(stream, sheet, col);
                }

                File.Move(path + ".part", path, overwrite: true);
                Console.WriteLine($"已写出：{Path.GetFullPath(path)}");
            }

            if (sheets.Count == 0)
            {
                Console.WriteLine("该县（区）在此周期还没有评分表：请先用 scoresheet build 预填。");
            }

            return 0;
        }));
        return command;
    }

    public static Command Import(Func<Func<Task<int>>, Task<int>> guard)
    {
        var files = new Option<string[]>("--file") { Description = "填好的填报表（可重复；也可给一个文件夹，导入其中全部 .xlsx）", Required = true, AllowMultipleArgumentsPerToken = true };
        var by = new Option<string>("--by") { Description = "导入人姓名（记入录入日志）", Required = true };
        var command = new Command("import", "导入填好的填报表：逐行检查，每个文件全部导入或全部不导入") { files, by };
        command.SetAction((r, ct) => guard(async () =>
        {
            var paths = r.GetValue(files)!.SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p, "*.xlsx").Order(StringComparer.Ordinal).ToArray() : [p]).ToArray();
            var missing = paths.FirstOrDefault(p => !File.Exists(p));
            if (missing is not null)
            {
                throw new FormatException($"找不到文件“{missing}”");
            }

            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var service = host.Services.GetRequiredService<ScoresheetService>();
            var failed = 0;
            foreach (var path in paths)
            {
                var name = Path.GetFileName(path);
                await using var stream = File.OpenRead(path);
                var outcome = await service.ImportAsync(Caller.CommandLine(r.GetValue(by)!), stream, name, expected: null, ct);
                if (outcome.IsDone)
                {
                    var done = outcome.Value;
                    Console.WriteLine($"{name}：已导入 {done.Sheet.OrgName}（{done.Sheet.OrgCode}），新录入或撤回 {done.Logged} 项，未变 {done.Unchanged} 项");
                    continue;
                }

                failed++;
                await Console.Error.WriteLineAsync($"ingest: {outcome.Refusal!.Message}");
                foreach (var error in outcome.Refusal.Errors)
                {
                    await Console.Error.WriteLineAsync($"  {error.Message}");
                }
            }

            return failed == 0 ? 0 : failed == paths.Length ? 1 : 2;
        }));
        return command;
    }
}
