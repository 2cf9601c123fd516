using Ingest.Testing;
using static Ingest.Host.Tests.Cli.CliTests;

namespace Ingest.Host.Tests.People;

/// <summary>Ops at the command line: the first account, passwords from standard input, tokens, the audit trail.</summary>
public class PeopleCliTests
{
    [Fact]
    public async Task Ops_bootstraps_an_account_changes_its_password_from_stdin_and_reads_the_trail()
    {
        var cs = await HostFixture.DatabaseAsync();
        (string, string) db = ("ConnectionStrings__Ingest", cs);

        var added = await RunWithInputAsync("开发用口令-2026\n", ["users", "add", "--login", "ops-zhang", "--name", "张运维", "--role", "运维"], db);
        added.ExitCode.ShouldBe(0, added.StdErr);
        added.StdOut.ShouldContain("已创建账号 ops-zhang：张运维，运维，范围 640000");
        var hash = await HostFixture.ScalarAsync<string>(cs, "SELECT password_hash FROM ingest.account WHERE login = 'ops-zhang'");
        hash.ShouldNotContain("开发用口令");

        var shortPassword = await RunWithInputAsync("short\n", ["users", "password", "--login", "ops-zhang"], db);
        (shortPassword.ExitCode, shortPassword.StdErr.Trim()).ShouldBe((1, "ingest: 密码太短：至少 10 个字符"));
        var changed = await RunWithInputAsync("另一个开发口令-2026\n", ["users", "password", "--login", "ops-zhang"], db);
        changed.ExitCode.ShouldBe(0, changed.StdErr);
        (await HostFixture.ScalarAsync<string>(cs, "SELECT password_hash FROM ingest.account WHERE login = 'ops-zhang'")).ShouldNotBe(hash);

        var noCounty = await RunWithInputAsync("开发用口令-2026\n", ["users", "add", "--login", "li", "--name", "李老师", "--role", "bureau", "--org", "640424"], db);
        (noCounty.ExitCode, noCounty.StdErr.Trim()).ShouldBe((1, "ingest: 机构目录中没有 640424：请先采集其所在县（区）的数据，再为其建账号"));
        var disabled = await RunWithInputAsync(null, ["users", "disable", "--login", "ops-zhang"], db);
        disabled.ExitCode.ShouldBe(0, disabled.StdErr);
        (await RunWithInputAsync(null, ["users", "list"], db)).StdOut.ShouldContain("已停用");

        var token = await RunWithInputAsync(null, ["tokens", "add", "--name", "夜间巡检", "--role", "ops"], db);
        token.ExitCode.ShouldBe(0, token.StdErr);
        token.StdOut.Trim().ShouldStartWith("ingest_");
        token.StdErr.ShouldContain("令牌只显示这一次");
        var list = await RunWithInputAsync(null, ["tokens", "list"], db);
        list.StdOut.ShouldContain("夜间巡检");
        list.StdOut.ShouldNotContain(token.StdOut.Trim());
        (await RunWithInputAsync(null, ["tokens", "revoke", "--id", "1"], db)).ExitCode.ShouldBe(0);
        (await RunWithInputAsync(null, ["tokens", "revoke", "--id", "1"], db)).StdErr.ShouldContain("没有编号为 1 的有效令牌");

        var audit = await RunWithInputAsync(null, ["audit", "--action", "account"], db);
        audit.ExitCode.ShouldBe(0, audit.StdErr);
        foreach (var action in new[] { "account.create", "account.password", "account.disable" })
        {
            audit.StdOut.ShouldContain(action);
        }

        audit.StdOut.ShouldNotContain("token.create");
        audit.StdOut.ShouldContain("命令行");
    }
}
