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
internal static partial class PeopleVerbs
{
    public static IEnumerable<Command> Commands(Func<Func<Task<int>>, Task<int>> guard) => [Users(guard), Tokens(guard), Audit(guard)];

    private static Caller Operator => Caller.CommandLine(Environment.UserName);

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
                .CreateAsync(Operator, r.GetValue(login)!, r.GetValue(name)!, r.GetValue(role)!, r.GetValue(org) ?? string.Empty, password, ct).OrFailAsync();
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
            await host.Services.GetRequiredService<AccountService>().SetPasswordAsync(Operator, r.GetValue(login)!, text, ct).OrFailAsync();
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
                await host.Services.GetRequiredService<AccountService>().SetDisabledAsync(Operator, r.GetValue(who)!, disabled, ct).OrFailAsync();
                Console.WriteLine($"已{(disabled ? "停用" : "启用")}账号 {r.GetValue(who)}");
                return 0;
            }));
            return command;
        }
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
