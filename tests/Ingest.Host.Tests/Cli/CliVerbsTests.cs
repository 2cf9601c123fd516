using Ingest.Fixtures.CloudPlatform;
using Ingest.Fixtures.Region;
using Ingest.Testing;
using static Ingest.Host.Tests.Cli.CliTests;

namespace Ingest.Host.Tests.Cli;

/// <summary>
/// The success path of every verb the README lists, run as ops runs them (the real executable, a real database, the
/// Education Cloud's fake upstream): what each prints and what it leaves in the database.
/// </summary>
[RunsLong]
public sealed class CliVerbsTests : IDisposable
{
    private const string School = "2164240001";   // 泾源县城关第一小学
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("ingest-cli-");

    [Fact]
    public async Task Ops_ingests_reads_the_runs_and_facts_then_rates_a_school_at_the_command_line()
    {
        var cs = await TestPostgres.CreateEmptyDatabaseAsync();
        using var fake = FakeCloudPlatform.Start(DatasetRegion.LoadShipped("cloud-tiny"));
        (string, string)[] env =
        [
            ("ConnectionStrings__Ingest", cs),
            ("Connectors__CloudPlatform__Enabled", "true"),
            ("Connectors__CloudPlatform__BaseUrl", fake.Url),
            ("Connectors__CloudPlatform__ClientId", fake.Options.ClientId),
            ("Connectors__CloudPlatform__ClientSecret", fake.Options.ClientSecret),
        ];
        async Task<string> Ok(params string[] args)
        {
            var (exit, output, error) = await RunWithInputAsync(null, args, env);
            exit.ShouldBe(0, $"ingest {string.Join(' ', args)}: {error}");
            return output;
        }

        // A night of school:2024 over the region (西吉县 and 泾源县): every unit succeeds (exit 0); then 西吉县 is refused by
        // the upstream: exit 2, and 泾源县 is kept.
        (await Ok("ingest", "--cycle", "school:2024")).ShouldContain("采集批次 1：");
        fake.Faults.ForbiddenCounties["640422"] = true;
        var partial = await RunWithInputAsync(null, ["ingest", "--cycle", "school:2024"], env);
        partial.ExitCode.ShouldBe(2, partial.StdErr);
        var units = await HostFixture.ScalarAsync<string>(cs, "SELECT string_agg(DISTINCT county_code || ':' || status, ' ' ORDER BY county_code || ':' || status) FROM ingest.run_unit WHERE run_id = 2");
        units.ShouldBe("640422:failed 640424:succeeded");

        // The runs, newest first, each with its status; the facts with the indicator's Chinese name; the connectors.
        var runs = await Ok("runs", "--limit", "5");
        runs.IndexOf("采集批次 2 ", StringComparison.Ordinal).ShouldBeLessThan(runs.IndexOf("采集批次 1 ", StringComparison.Ordinal));
        runs.ShouldContain("部分失败");
        runs.ShouldContain("成功");
        runs.ShouldContain("教师应用数据（teacher-activity）");
        var index = await HostFixture.ScalarAsync<decimal>(cs, $"SELECT value FROM ingest.fact WHERE org_code = '{School}' AND indicator_code = 'cloud.app_index' ORDER BY period DESC LIMIT 1");
        var facts = await Ok("facts", "--org", School, "--indicator", "cloud.app_index");
        facts.ShouldContain("应用指数");
        facts.ShouldContain(index.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture));
        (await Ok("connectors")).ShouldContain("教师应用数据（teacher-activity）");

        // The county's sheets pre-filled and listed; an entry made and taken back; the 填报表 written, filled and imported.
        (await Ok("scoresheet", "build", "--cycle", "school:2024", "--county", "640424")).ShouldContain("泾源县城关第一小学");
        var sheets = await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.scoresheet WHERE cycle = 'school:2024'");
        sheets.ShouldBe(await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.organisation WHERE parent_code = '640424' AND level = 'school' AND active"), "a sheet for every active school of the county");
        (await Ok("scoresheet", "list", "--cycle", "school:2024", "--county", "640424")).ShouldContain("泾源县城关第一小学");
        string[] sheet = ["--cycle", "school:2024", "--org", School];
        await Ok(["scoresheet", "enter", .. sheet, "--item", "22", "--column", "bureau", "--score", "2.5", "--by", "李老师"]);
        await Ok(["scoresheet", "withdraw", .. sheet, "--item", "22", "--column", "bureau", "--reason", "录错了学校", "--by", "李老师"]);
        (await HostFixture.ScalarAsync<string>(cs, "SELECT string_agg(CASE WHEN action = 'withdraw' THEN '撤回' ELSE score::text END || ' ' || entered_by, ', ' ORDER BY id) FROM ingest.scoresheet_entry"))
            .ShouldBe("2.5 李老师, 撤回 李老师");

        var forms = Path.Combine(folder.FullName, "forms") + "/";
        await Ok(["scoresheet", "form", .. sheet, "--column", "bureau", "--out", forms]);
        var form = Directory.GetFiles(forms).ShouldHaveSingleItem();
        Path.GetFileName(form).ShouldBe($"{School}-泾源县城关第一小学-2024年度-教育局评定填报表.xlsx");
        await File.WriteAllBytesAsync(form, Scoring.FormFiller.Fill(await File.ReadAllBytesAsync(form), [("22", "填写", "2")]));
        await Ok("scoresheet", "import", "--file", form, "--by", "王专家");
        (await HostFixture.ScalarAsync<string>(cs, "SELECT score::text || ' ' || entered_by FROM ingest.scoresheet_entry ORDER BY id DESC LIMIT 1")).ShouldBe("2 王专家");

        var csv = Path.Combine(folder.FullName, "lines.csv");
        await Ok(["scoresheet", "export", .. sheet, "--format", "csv", "--out", csv]);
        File.ReadAllLines(csv).Length.ShouldBeGreaterThan(60, "a line per target of the 64 items");
        await Ok("scoresheet", "contact", "--org", School, "--person", "马晓燕", "--phone", "0954-5012345", "--by", "李老师");
        (await HostFixture.ScalarAsync<string>(cs, $"SELECT contact_person || ' ' || contact_phone FROM ingest.organisation_contact WHERE org_code = '{School}'")).ShouldBe("马晓燕 0954-5012345");
        (await Ok("scoresheet", "report", "--cycle", "school:2024", "--county", "640424")).ShouldContain("三星级");

        // An account disabled and enabled again.
        (await RunWithInputAsync("开发用口令-2026\n", ["users", "add", "--login", "jy-li", "--name", "李老师", "--role", "bureau", "--org", "640424"], env)).ExitCode.ShouldBe(0);
        await Ok("users", "disable", "--login", "jy-li");
        (await HostFixture.ScalarAsync<bool>(cs, "SELECT disabled FROM ingest.account WHERE login = 'jy-li'")).ShouldBeTrue();
        await Ok("users", "enable", "--login", "jy-li");
        (await HostFixture.ScalarAsync<bool>(cs, "SELECT disabled FROM ingest.account WHERE login = 'jy-li'")).ShouldBeFalse();
    }

    public void Dispose() => folder.Delete(recursive: true);
}
