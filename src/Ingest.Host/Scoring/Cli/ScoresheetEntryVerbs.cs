using System.CommandLine;
using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Host.Cli;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;

namespace Ingest.Host.Scoring.Cli;

/// <summary>
/// The verbs a rater fills a column with, one item at a time: enter a value, withdraw one, set the level applied for.
/// Everything typed is parsed strictly (<see cref="RaterText"/>); a typo is an error, never a score.
/// </summary>
internal static class ScoresheetEntryVerbs
{
    public static Command Enter(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = ScoresheetVerbs.CycleOption();
        var org = new Option<string>("--org") { Description = "学校或县（区）代码", Required = true };
        var item = new Option<string>("--item") { Description = "指标序号，分部分的指标按标准的编号写（如 16.1、16.2）", Required = true };
        var column = new Option<string>("--column") { Description = "评分栏：self（学校自评）、bureau（教育局评定）或 department（教育厅评定）", Required = true };
        var score = new Option<string?>("--score") { Description = "得分：0 到该项分值之间，0.5 分一档，小数用小数点（1.5）" };
        var count = new Option<string[]>("--count") { Description = "计数项的次数，写作 名称=次数（可重复，如 --count awards=3）", AllowMultipleArgumentsPerToken = true };
        var flag = new Option<string?>("--flag") { Description = "是否项（指标 64）：是、否、true 或 false" };
        var reason = new Option<string?>("--reason") { Description = "理由：改写自动得分时必填" };
        var by = new Option<string>("--by") { Description = "录入人姓名", Required = true };
        var command = new Command("enter", "录入一项指标在一个评分栏的得分、次数或是否") { cycle, org, item, column, score, count, flag, reason, by };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            var col = RaterText.ParseColumn(r.GetValue(column));
            var value = new EntryValue(
                r.GetValue(score) is { } s ? RaterText.ParseScore(s, "--score ") : null,
                r.GetValue(count) is { Length: > 0 } pairs ? ParseCounts(pairs) : null,
                r.GetValue(flag) is { } f ? RaterText.ParseFlag(f, "--flag ") : null,
                r.GetValue(reason));
            if (value.IsWithdrawal)
            {
                throw new FormatException("请给出 --score、--count 或 --flag 之一；撤回录入请用 scoresheet withdraw");
            }

            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var outcome = (await host.Services.GetRequiredService<ScoresheetService>().EnterAsync(Caller.CommandLine(r.GetValue(by)!), r.GetValue(org)!, c, PrintedItems.Target(RubricLibrary.Default(c.Rubric), r.GetValue(item)!), col, value, ct)).OrFail();
            Report(outcome, PrintedItems.Target(RubricLibrary.Default(c.Rubric), r.GetValue(item)!), col);
            return 0;
        }));
        return command;
    }

    public static Command Withdraw(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = ScoresheetVerbs.CycleOption();
        var org = new Option<string>("--org") { Description = "学校或县（区）代码", Required = true };
        var item = new Option<string>("--item") { Description = "指标序号（分部分的指标如 16.1）", Required = true };
        var column = new Option<string>("--column") { Description = "评分栏：self、bureau 或 department", Required = true };
        var reason = new Option<string>("--reason") { Description = "撤回的理由（记入录入日志）", Required = true };
        var by = new Option<string>("--by") { Description = "录入人姓名", Required = true };
        var command = new Command("withdraw", "撤回一项指标在一个评分栏的录入：回到自动得分，或回到待填") { cycle, org, item, column, reason, by };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            var col = RaterText.ParseColumn(r.GetValue(column));
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var outcome = (await host.Services.GetRequiredService<ScoresheetService>().EnterAsync(Caller.CommandLine(r.GetValue(by)!), r.GetValue(org)!, c, PrintedItems.Target(RubricLibrary.Default(c.Rubric), r.GetValue(item)!), col,
                EntryValue.Withdrawal(r.GetValue(reason)!), ct)).OrFail();
            Report(outcome, PrintedItems.Target(RubricLibrary.Default(c.Rubric), r.GetValue(item)!), col);
            return 0;
        }));
        return command;
    }

    public static Command Confirm(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = ScoresheetVerbs.CycleOption();
        var org = new Option<string>("--org") { Description = "学校代码", Required = true };
        var item = new Option<string?>("--item") { Description = "指标序号；不写则确认本栏全部待现场确认的项" };
        var column = new Option<string>("--column") { Description = "评分栏：self、bureau 或 department", Required = true };
        var by = new Option<string>("--by") { Description = "确认人姓名", Required = true };
        var command = new Command("confirm", "现场确认：数据只涵盖部分内容的预填项，现场查看后保留其预填得分") { cycle, org, item, column, by };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            var col = RaterText.ParseColumn(r.GetValue(column));
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var outcome = (await host.Services.GetRequiredService<ScoresheetService>().ConfirmOnSiteAsync(Caller.CommandLine(r.GetValue(by)!), r.GetValue(org)!, c,
                r.GetValue(item) is { } one ? PrintedItems.Target(RubricLibrary.Default(c.Rubric), one) : null, ct, col)).OrFail();
            var result = outcome.Sheet.Column(col);
            var level = result.Stars is null ? string.Empty : "，" + RaterText.Level(col, result.Stars);
            Console.WriteLine($"{RaterText.ColumnTitle(col)}栏现场确认 {outcome.Logged} 项，尚有 {result.Unconfirmed} 项待现场确认；合计 {RaterText.Score(result.Total)}{level}");
            return 0;
        }));
        return command;
    }

    public static Command Apply(Func<Func<Task<int>>, Task<int>> guard)
    {
        var cycle = ScoresheetVerbs.CycleOption();
        var org = new Option<string>("--org") { Description = "学校代码", Required = true };
        var stars = new Option<string?>("--stars") { Description = "申报星级：2 到 5 的整数" };
        var clear = new Option<bool>("--clear") { Description = "撤销申报星级" };
        var command = new Command("apply", "记录学校的申报星级") { cycle, org, stars, clear };
        command.SetAction((r, ct) => guard(async () =>
        {
            var c = EvaluationCycle.Parse(r.GetValue(cycle)!);
            var typed = (r.GetValue(stars), r.GetValue(clear)) switch
            {
                (null, true) => null,
                ({ } text, false) when !string.IsNullOrWhiteSpace(text) => text,
                _ => throw new FormatException($"请给出 --stars {AppliedStars.Lowest}～{AppliedStars.Highest} 或 --clear 之一"),
            };
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var sheet = (await host.Services.GetRequiredService<ScoresheetService>().SetAppliedStarsAsync(Caller.CommandLine(Environment.UserName), r.GetValue(org)!, c, typed, ct)).OrFail();
            Console.WriteLine($"{sheet.OrgName}（{sheet.OrgCode}）{c.Year}年度申报星级：{(sheet.AppliedStars is { } a ? RaterText.Stars(a) : "未申报")}");
            return 0;
        }));
        return command;
    }

    public static Command Contact(Func<Func<Task<int>>, Task<int>> guard)
    {
        var org = new Option<string>("--org") { Description = "学校或县（区）代码", Required = true };
        var person = new Option<string?>("--person") { Description = "联系人（留空清除）" };
        var phone = new Option<string?>("--phone") { Description = "联系方式（留空清除）" };
        var by = new Option<string>("--by") { Description = "修改人姓名", Required = true };
        var command = new Command("contact", "设置星级认定表上的联系人和联系方式") { org, person, phone, by };
        command.SetAction((r, ct) => guard(async () =>
        {
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var contact = (await host.Services.GetRequiredService<ScoresheetService>().SetContactAsync(Caller.CommandLine(r.GetValue(by)!), r.GetValue(org)!, r.GetValue(person), r.GetValue(phone), ct)).OrFail();
            Console.WriteLine($"{contact.OrgCode} 联系人：{contact.Person ?? "（空）"}，联系方式：{contact.Phone ?? "（空）"}");
            return 0;
        }));
        return command;
    }

    private static void Report(EntryOutcome outcome, string item, Column column)
    {
        var result = outcome.Sheet.Column(column);
        var title = RaterText.ColumnTitle(column);
        var level = result.Stars is null ? string.Empty : "，" + RaterText.Level(column, result.Stars);
        if (outcome.Logged == 0)
        {
            Console.WriteLine($"{RaterText.ItemName(item)}（{title}）已是该值，未作改动；合计 {RaterText.Score(result.Total)}{level}");
            return;
        }

        var last = outcome.Sheet.Entries[^1];
        var action = last.Entry.Value.IsWithdrawal ? "已撤回" : "已录入";
        Console.WriteLine($"{RaterText.ItemName(item)}（{title}）{action}：{RaterText.Score(last.OldScore)} → {RaterText.Score(last.NewScore)}；合计 {RaterText.Score(result.Total)}{level}");
    }

    private static Dictionary<string, int> ParseCounts(string[] pairs)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in pairs)
        {
            var parts = p.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                throw new FormatException($"--count“{p}”应写作 名称=次数，如 awards=3");
            }

            counts[parts[0]] = RaterText.ParseCount(parts[1], $"--count {parts[0]} 的次数");
        }

        return counts;
    }
}
