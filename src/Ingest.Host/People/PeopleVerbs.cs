using System.CommandLine;
using System.Globalization;
using Ingest.Application.People;
using Ingest.Data.Audit;
using Ingest.Host.Cli;
using Spectre.Console;

namespace Ingest.Host.People;

/// <summary>
/// <c>users</c>, <c>tokens</c> and <c>audit</c>: the CLI of ops. It talks to the database directly, so it creates the first
/// account; what it does is audited as the operating-system user at the command line.
/// </summary>
internal static class PeopleVerbs
{
    public static IEnumerable<Command> Commands(Func<Func<Task<int>>, Task<int>> guard) => [Users(guard), Tokens(guard), Audit(guard)];

    private static Actor Operator => Actor.CommandLine(Environment.UserName);

    private static Command Users(Func<Func<Task<int>>, Task<int>> guard)
    {
        var login = new Option<string>("--login") { Description = "登录名", Required = true };
        var name = new Option<string>("--name") { Description = "显示名：录入评分时的署名", Required = true };
        var role = new Option<string>("--role") { Description = "角色：ops、department、bureau、school 或 auditor（也可写 运维、教育厅、教育局、学校、审计）", Required = true };
        var org = new Option<string?>("--org") { Description = "范围：教育局为县（区）代码，学校为学校标识码，审计为 640000 或县（区）代码；运维与教育厅为全区" };
        var add = new Command("add", "创建账号；密码从标准输入读取一行（不作为参数，以免留在命令历史中）") { login, name, role, org };
        add.SetAction((r, ct) => guard(async () =>
        {
            var password = await ReadPasswordAsync();
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var account = await host.Services.GetRequiredService<AccountService>()
                .CreateAsync(r.GetValue(login)!, r.GetValue(name)!, r.GetValue(role)!, r.GetValue(org) ?? string.Empty, password, Operator, ct);
            Console.WriteLine($"已创建账号 {account.Login}：{account.DisplayName}，{Roles.Title(account.Role)}，范围 {account.Scope}");
            return 0;
        }));

        var list = new Command("list", "列出全部账号");
        list.SetAction((_, ct) => guard(async () =>
        {
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
            var table = new Table().AddColumns("登录名", "显示名", "角色", "范围", "状态", "创建", "最近登录");
            foreach (var a in await host.Services.GetRequiredService<AccountService>().ListAsync(ct))
            {
                var state = a.Disabled ? "已停用" : a.LockedUntil is { } l && l > now ? "已锁定至 " + Time(l) : "正常";
                table.AddRow(Markup.Escape(a.Login), Markup.Escape(a.DisplayName), Roles.Title(a.Role), a.Scope, state, Time(a.CreatedAt) + " " + Markup.Escape(a.CreatedBy),
                    a.LastSignInAt is { } s ? Time(s) : "—");
            }

            AnsiConsole.Write(table);
            return 0;
        }));

        var password = new Command("password", "修改账号密码：新密码从标准输入读取一行；该账号已登录的浏览器随即退出") { login };
        password.SetAction((r, ct) => guard(async () =>
        {
            var text = await ReadPasswordAsync();
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            await host.Services.GetRequiredService<AccountService>().SetPasswordAsync(r.GetValue(login)!, text, Operator, ct);
            Console.WriteLine($"已修改 {r.GetValue(login)} 的密码");
            return 0;
        }));

        return new Command("users", "账号：创建、列出、停用、启用、修改密码") { add, list, State("disable", "停用账号：立即拒绝其登录和已登录的会话", true), State("enable", "启用已停用的账号", false), password };

        Command State(string verb, string description, bool disabled)
        {
            var who = new Option<string>("--login") { Description = "登录名", Required = true };
            var command = new Command(verb, description) { who };
            command.SetAction((r, ct) => guard(async () =>
            {
                await using var host = await CliHost.StartAsync(migrate: true, ct);
                await host.Services.GetRequiredService<AccountService>().SetDisabledAsync(r.GetValue(who)!, disabled, Operator, ct);
                Console.WriteLine($"已{(disabled ? "停用" : "启用")}账号 {r.GetValue(who)}");
                return 0;
            }));
            return command;
        }
    }

    private static Command Tokens(Func<Func<Task<int>>, Task<int>> guard)
    {
        var name = new Option<string>("--name") { Description = "用途，例如“泾源县数据同步脚本”：令牌写入时的署名", Required = true };
        var role = new Option<string>("--role") { Description = "角色：ops、department、bureau、school 或 auditor", Required = true };
        var org = new Option<string?>("--org") { Description = "范围（同 users add）" };
        var days = new Option<int?>("--days") { Description = "有效天数（默认 365）" };
        var account = new Option<string?>("--account") { Description = "令牌所属账号的登录名：停用该账号即停用令牌" };
        var add = new Command("add", "创建 API 令牌；令牌只显示这一次") { name, role, org, days, account };
        add.SetAction((r, ct) => guard(async () =>
        {
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var created = await host.Services.GetRequiredService<AccountService>()
                .CreateTokenAsync(r.GetValue(name)!, r.GetValue(role)!, r.GetValue(org) ?? string.Empty, Operator, ct, r.GetValue(days), r.GetValue(account));
            Console.Error.WriteLine($"已创建令牌 {created.View.Id}（{created.View.Name}，{Roles.Title(created.View.Role)}，范围 {created.View.Scope}，"
                + $"有效至 {Time(created.View.ExpiresAt)}{(created.View.Account is { } a ? "，属于账号 " + a : string.Empty)}）。令牌只显示这一次，请立即保存：");
            Console.WriteLine(created.Token);
            return 0;
        }));

        var list = new Command("list", "列出全部令牌及最近使用时间（不显示令牌本身）");
        list.SetAction((_, ct) => guard(async () =>
        {
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var table = new Table().AddColumns("编号", "用途", "角色", "范围", "开头", "创建", "所属账号", "最近使用", "状态");
            var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
            foreach (var t in await host.Services.GetRequiredService<AccountService>().ListTokensAsync(ct))
            {
                table.AddRow(t.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(t.Name), Roles.Title(t.Role), t.Scope, Markup.Escape(t.Prefix + "…"),
                    Time(t.CreatedAt) + " " + Markup.Escape(t.CreatedBy), Markup.Escape(t.Account ?? "（无）"), t.LastUsedAt is { } u ? Time(u) : "未使用",
                    t.RevokedAt is { } v ? $"已吊销 {Time(v)}" : t.AccountDisabled ? "账号已停用" : t.ExpiresAt <= now ? $"已过期 {Time(t.ExpiresAt)}" : $"有效至 {Time(t.ExpiresAt)}");
            }

            AnsiConsole.Write(table);
            return 0;
        }));

        var id = new Option<long>("--id") { Description = "令牌编号（tokens list 所列）", Required = true };
        var revoke = new Command("revoke", "吊销令牌：自下一次请求起拒绝") { id };
        revoke.SetAction((r, ct) => guard(async () =>
        {
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            await host.Services.GetRequiredService<AccountService>().RevokeTokenAsync(r.GetValue(id), Operator, ct);
            Console.WriteLine($"已吊销令牌 {r.GetValue(id)}");
            return 0;
        }));
        return new Command("tokens", "API 令牌：创建、列出、吊销") { add, list, revoke };
    }

    private static Command Audit(Func<Func<Task<int>>, Task<int>> guard)
    {
        var org = new Option<string?>("--org") { Description = "机构代码" };
        var person = new Option<string?>("--person") { Description = "显示名或登录名" };
        var from = new Option<string?>("--from") { Description = "起始时间（含），例如 2026-11-01 或 2026-11-01T08:00+08:00" };
        var to = new Option<string?>("--to") { Description = "截止时间（不含）" };
        var action = new Option<string?>("--action") { Description = "操作，例如 score、score.entry、auth.sign_in_failed" };
        var limit = new Option<int>("--limit") { Description = "最多列出多少条", DefaultValueFactory = _ => 100 };
        var command = new Command("audit", "审计记录：谁在何时从何处做了什么，旧值与新值；最新的在前") { org, person, from, to, action, limit };
        command.SetAction((r, ct) => guard(async () =>
        {
            var filter = new AuditFilter(r.GetValue(org), r.GetValue(person), When(r.GetValue(from), "--from"), When(r.GetValue(to), "--to"), r.GetValue(action),
                null, r.GetValue(limit));
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var table = new Table().AddColumns("时间", "人员", "角色", "操作", "机构", "对象", "旧值", "新值", "来源");
            foreach (var a in await host.Services.GetRequiredService<AuditStore>().ListAsync(filter, ct))
            {
                table.AddRow(Time(a.At), Markup.Escape(a.Actor + (a.Login is { } l && l != a.Actor ? $"（{l}）" : string.Empty)), Roles.Title(a.Role ?? "—"),
                    Markup.Escape(a.Action), a.OrgCode ?? "—", Markup.Escape(a.Subject ?? "—"), Markup.Escape(a.OldValue?.GetRawText() ?? "—"),
                    Markup.Escape(a.NewValue?.GetRawText() ?? "—"), Markup.Escape(a.Address ?? "—"));
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    /// <summary>One line from standard input: a password is never an argument, where it would stay in the shell's history.</summary>
    private static async Task<string> ReadPasswordAsync()
    {
        if (!Console.IsInputRedirected)
        {
            await Console.Error.WriteAsync("密码：");
        }

        return (await Console.In.ReadLineAsync())?.TrimEnd('\r', '\n')
            ?? throw new FormatException("没有从标准输入读到密码：例如 echo '新密码' | ingest users password --login …");
    }

    private static DateTimeOffset? When(string? text, string option) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? (text.Length == 10 ? new DateTimeOffset(at.Date, TimeSpan.FromHours(8)) : at)
            : throw new FormatException($"{option} “{text}”不是时间：例如 2026-11-01 或 2026-11-01T08:00+08:00");

    private static string Time(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
