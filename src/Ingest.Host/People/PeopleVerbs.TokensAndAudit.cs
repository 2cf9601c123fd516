using System.CommandLine;
using System.Globalization;
using Ingest.Application.People;
using Ingest.Data.Audit;
using Ingest.Host.Cli;
using Spectre.Console;

namespace Ingest.Host.People;

internal static partial class PeopleVerbs
{
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
                .CreateTokenAsync(Operator, r.GetValue(name)!, r.GetValue(role)!, r.GetValue(org) ?? string.Empty, ct, r.GetValue(days), r.GetValue(account)).OrFailAsync();
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
            await host.Services.GetRequiredService<AccountService>().RevokeTokenAsync(Operator, r.GetValue(id), ct).OrFailAsync();
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
}
