using System.Diagnostics;
using Ingest.Core.Organisations;
using Ingest.Data.Organisations;
using Ingest.Testing;
using Npgsql;

namespace Ingest.Host.Tests.Cli;

/// <summary>The verbs as a user runs them: the real executable in a child process, configured by environment.</summary>
[RunsLong]
public class CliTests
{
    [Fact]
    public async Task Migrate_EmptyThenUpToDate_SaysWhatItDid()
    {
        var cs = await TestPostgres.CreateEmptyDatabaseAsync();

        var first = await RunAsync(["migrate"], ("ConnectionStrings__Ingest", cs));
        var second = await RunAsync(["migrate"], ("ConnectionStrings__Ingest", cs));

        first.ExitCode.ShouldBe(0, first.StdErr);
        first.StdOut.ShouldContain("已升级数据库：0001_foundation、");
        second.ExitCode.ShouldBe(0, second.StdErr);
        second.StdOut.ShouldContain("数据库已是当前结构，无需升级。");
    }

    [Fact]
    public async Task Runs_NoServerProgramsAndNoConnectionString_FailsWithOneLineSayingHowToFixIt()
    {
        var result = await RunAsync(["runs"], ("ConnectionStrings__Ingest", ""), ("Ingest__EmbeddedPostgres__BinDirectory", "/nonexistent"));

        result.ExitCode.ShouldBe(1);
        var line = result.StdErr.Trim();
        line.Split('\n').Length.ShouldBe(1);
        line.ShouldStartWith("ingest: Ingest:EmbeddedPostgres:BinDirectory '/nonexistent'");
        line.ShouldContain("apt-get install postgresql");
    }

    [Fact]
    public async Task Ingest_BadCounty_FailsWithOneLineNamingIt()
    {
        var cs = await TestPostgres.CreateEmptyDatabaseAsync();

        var result = await RunAsync(["ingest", "--period", "2023", "--county", "64042"], ("ConnectionStrings__Ingest", cs));

        result.ExitCode.ShouldBe(1);
        result.StdErr.Trim().ShouldBe("ingest: “64042”不是县（区）代码：县（区）代码为 6 位行政区划代码，例如 640424");
    }

    [Fact]
    public async Task Connectors_CloudEnabledWithoutSecret_FailsWithOneLineNamingTheKey()
    {
        var cs = await TestPostgres.CreateEmptyDatabaseAsync();

        var result = await RunAsync(["connectors"], ("ConnectionStrings__Ingest", cs),
            ("Connectors__CloudPlatform__Enabled", "true"), ("Connectors__CloudPlatform__BaseUrl", "http://cloud.example/"),
            ("Connectors__CloudPlatform__ClientId", "ingest"));

        result.ExitCode.ShouldBe(1);
        result.StdErr.Trim().Split('\n').Length.ShouldBe(1);
        result.StdErr.ShouldContain("配置有误：必须设置 Connectors:CloudPlatform:ClientSecret");
    }

    [Fact]
    public async Task Scoresheet_verbs_fail_with_one_line_naming_what_is_wrong()
    {
        var cs = await TestPostgres.CreateEmptyDatabaseAsync();

        var unknown = await RunAsync(["scoresheet", "build", "--cycle", "county:2024", "--org", "640424"], ("ConnectionStrings__Ingest", cs));
        var format = await RunAsync(["scoresheet", "export", "--cycle", "school:2025", "--county", "640424", "--format", "doc", "--out", "x.doc"], ("ConnectionStrings__Ingest", cs));
        var column = await RunAsync(["scoresheet", "enter", "--cycle", "school:2025", "--org", "2164240001", "--item", "1", "--column", "county", "--score", "1", "--by", "李老师"],
            ("ConnectionStrings__Ingest", cs));

        (unknown.ExitCode, unknown.StdErr.Trim()).ShouldBe((1, "ingest: 机构目录中没有 640424：请先采集其所在县（区）的数据"));
        (format.ExitCode, format.StdErr.Trim()).ShouldBe((1, "ingest: “doc”不是导出格式：应为 csv、json、xlsx 或 pdf"));
        (column.ExitCode, column.StdErr.Trim()).ShouldBe((1, "ingest: “county”不是评分栏：应为 self（学校自评）、bureau（教育局评定）或 department（教育厅评定）"));
    }

    [Theory]
    [InlineData("--flag", "no", "ingest: --flag “no”无法识别：只接受 是、否、true 或 false")]
    [InlineData("--flag", "0", "ingest: --flag “0”无法识别：只接受 是、否、true 或 false")]
    [InlineData("--flag", "nonsense", "ingest: --flag “nonsense”无法识别：只接受 是、否、true 或 false")]
    public async Task Enter_a_flag_other_than_yes_or_no_fails_and_records_nothing(string option, string value, string error)
    {
        var cs = await SchoolDatabaseAsync();

        var result = await RunAsync(["scoresheet", "enter", "--cycle", "school:2025", "--org", School, "--item", "64", "--column", "bureau", option, value, "--by", "李老师"],
            ("ConnectionStrings__Ingest", cs));

        (result.ExitCode, result.StdErr.Trim()).ShouldBe((1, error));
        (await Entries(cs)).ShouldBe(0);
    }

    [Fact]
    public async Task Enter_with_a_stray_word_or_a_decimal_comma_fails_and_records_nothing()
    {
        var cs = await SchoolDatabaseAsync();
        string[] enter = ["scoresheet", "enter", "--cycle", "school:2025", "--org", School, "--item", "22", "--column", "bureau", "--by", "李老师"];

        var stray = await RunAsync([.. enter, "--score", "2.5", "oops"], ("ConnectionStrings__Ingest", cs));
        var comma = await RunAsync([.. enter, "--score", "1,5"], ("ConnectionStrings__Ingest", cs));
        var yes = await RunAsync(["scoresheet", "enter", "--cycle", "school:2025", "--org", School, "--item", "64", "--column", "bureau", "--flag", "是", "--by", "李老师"],
            ("ConnectionStrings__Ingest", cs));

        stray.ExitCode.ShouldBe(1);
        stray.StdErr.Trim().Split('\n').Length.ShouldBe(1);
        stray.StdErr.ShouldContain("oops");
        (comma.ExitCode, comma.StdErr.Trim()).ShouldBe((1, "ingest: --score “1,5”含逗号：小数请用小数点，如 1.5"));
        yes.ExitCode.ShouldBe(0, yes.StdErr);
        yes.StdOut.ShouldContain("指标 64（教育局评定）已录入：— → 10");
        (await Entries(cs)).ShouldBe(1, "only the well-formed entry is recorded");
    }

    [Fact]
    public async Task Show_gives_a_rater_the_item_text_status_words_evidence_and_the_level_applied_for()
    {
        var cs = await SchoolDatabaseAsync();
        var env = ("ConnectionStrings__Ingest", cs);
        string[] sheet = ["--cycle", "school:2025", "--org", School];

        (await RunAsync(["scoresheet", "enter", .. sheet, "--item", "22", "--column", "bureau", "--score", "2.5", "--by", "李老师"], env)).ExitCode.ShouldBe(0);
        (await RunAsync(["scoresheet", "enter", .. sheet, "--item", "61", "--column", "bureau", "--count", "commendations=3", "--by", "李老师"], env)).ExitCode.ShouldBe(0);
        var apply = await RunAsync(["scoresheet", "apply", .. sheet, "--stars", "4"], env);
        var show = await RunAsync(["scoresheet", "show", .. sheet, "--column", "教育局"], env);

        apply.StdOut.Trim().ShouldBe("泾源县城关第一小学（2164240001）2025年度申报星级：四星级");
        show.ExitCode.ShouldBe(0, show.StdErr);
        var text = show.StdOut;
        text.ShouldContain("申报星级：四星级");
        text.ShouldContain("宁夏中小学“互联网+教育”智慧校园认定标准 · 2025年度");
        text.ShouldContain("普及在宁夏教育云支持下的混合式"); // item 24's text beside its line
        text.ShouldContain("李老师 录入 2.5分");
        text.ShouldContain("彰加1分，只计一次） 3"); // the count entered, under its label from the rubric
        foreach (var word in new[] { "已录入", "待填", "无法计算", "尚未采集 2164240001 2024年的应用指数" })
        {
            text.ShouldContain(word);
        }

        text.ShouldContain("教育局评定合计 3.5，未定级（待填）"); // 22: 2.5, 61: three commendations count once, 1
        text.ShouldNotContain("pending");
        text.ShouldNotContain("not_computable");
    }

    private const string School = "2164240001";

    /// <summary>A migrated database whose directory holds one county and one school.</summary>
    private static async Task<string> SchoolDatabaseAsync()
    {
        var cs = await TestPostgres.CreateEmptyDatabaseAsync();
        (await RunAsync(["migrate"], ("ConnectionStrings__Ingest", cs))).ExitCode.ShouldBe(0);
        await using var dataSource = NpgsqlDataSource.Create(cs);
        await new OrganisationStore(dataSource, TimeProvider.System).UpsertAsync(
        [
            new Organisation("640400", "固原市", OrgLevel.City, Organisation.RegionCode),
            new Organisation("640424", "泾源县", OrgLevel.County, "640400"),
            new Organisation(School, "泾源县城关第一小学", OrgLevel.School, "640424"),
        ], CancellationToken.None);
        return cs;
    }

    private static async Task<long> Entries(string cs)
    {
        await using var dataSource = NpgsqlDataSource.Create(cs);
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM ingest.scoresheet_entry");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(string[] args, params (string Key, string Value)[] environment) =>
        RunWithInputAsync(null, args, environment);

    /// <summary>The executable in a process of its own, as ops runs it; <paramref name="input"/> is what they type or pipe in.</summary>
    internal static async Task<(int ExitCode, string StdOut, string StdErr)> RunWithInputAsync(string? input, string[] args, params (string Key, string Value)[] environment)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Ingest.Host.dll"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout, await stderr);
    }
}
