using System.Text;
using Ingest.Testing;
using static Ingest.Host.Tests.Cli.CliTests;
using static Ingest.Host.Tests.People.People;

namespace Ingest.Host.Tests.Audit;

/// <summary><c>claims template|import|report</c> in a process of their own, against a database the service seeded.</summary>
public class ClaimsCliTests
{
    [Fact]
    public async Task Claims_template_import_and_report_at_the_command_line()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using (var host = await HostFixture.StartAsync(cs))
        {
            await SeedAsync(host, Scoring.ScoresheetApiTests.FullFacts(appIndexPoints: 8000));
        }

        (string, string) db = ("ConnectionStrings__Ingest", cs);
        var folder = Directory.CreateTempSubdirectory("claims-cli").FullName;
        var template = Path.Combine(folder, "模板.csv");
        var written = await RunWithInputAsync(null, ["claims", "template", "--cycle", "school:2024", "--county", "640424", "--out", template], db);
        written.ExitCode.ShouldBe(0, written.StdErr);
        var lines = (await File.ReadAllLinesAsync(template)).Skip(1).ToArray();
        lines.Select(l => l.Split(',')[0]).Distinct().ShouldBe([School, OtherSchool]);

        var bad = Path.Combine(folder, "有错.csv");
        await File.WriteAllTextAsync(bad, $"学校标识码,序号,自评得分\r\n{School},23,2\r\n{School},22,3.3\r\n", Encoding.UTF8);
        var refused = await RunWithInputAsync(null, ["claims", "import", "--cycle", "school:2024", "--file", bad, "--by", "王老师"], db);
        refused.ExitCode.ShouldBe(1);
        refused.StdErr.ShouldContain("第 3 行“自评得分”列：指标 22：得分 3.3 不在 0～3 分之间或不是 0.5 分的整数倍");

        var good = Path.Combine(folder, "自评.csv");
        await File.WriteAllTextAsync(good, $"学校标识码,序号,自评得分,自评数据\r\n{School},23,2,310\r\n{School},19,3,\r\n", Encoding.UTF8);
        var imported = await RunWithInputAsync(null, ["claims", "import", "--cycle", "school:2024", "--file", good, "--by", "王老师"], db);
        imported.ExitCode.ShouldBe(0, imported.StdErr);
        imported.StdOut.ShouldContain("已导入 自评.csv：1 所学校，2 行");

        var report = await RunWithInputAsync(null, ["claims", "report", "--cycle", "school:2024", "--county", "640424"], db);
        report.ExitCode.ShouldBe(0, report.StdErr);
        report.StdOut.ShouldContain("泾源县（640424）2024年度自评核查：1 所学校有自评，1 所高于数据，共超出 2 分");
        report.StdOut.ShouldContain("高于数据");
        report.StdOut.ShouldNotContain("│ 19 ", Case.Sensitive, "a claim the data bears out is not listed");
    }
}
