using System.Diagnostics;
using Ingest.Testing;

namespace Ingest.Host.Tests.Cli;

/// <summary>The verbs as a user runs them: the real executable in a child process, configured by environment.</summary>
public class CliTests
{
    [Fact]
    public async Task Migrate_EmptyThenUpToDate_SaysWhatItDid()
    {
        var cs = await TestPostgres.CreateEmptyDatabaseAsync();

        var first = await RunAsync(["migrate"], ("ConnectionStrings__Ingest", cs));
        var second = await RunAsync(["migrate"], ("ConnectionStrings__Ingest", cs));

        first.ExitCode.ShouldBe(0, first.StdErr);
        first.StdOut.ShouldContain("0001_foundation.sql");
        second.ExitCode.ShouldBe(0, second.StdErr);
        second.StdOut.ShouldContain("The database is up to date.");
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
        result.StdErr.Trim().ShouldBe("ingest: Not a county code: 64042 (a county is its 6-digit division code, e.g. 640424).");
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
        result.StdErr.ShouldContain("Connectors:CloudPlatform:ClientSecret is required");
    }

    [Fact]
    public async Task Scoresheet_verbs_fail_with_one_line_naming_what_is_wrong()
    {
        var cs = await TestPostgres.CreateEmptyDatabaseAsync();

        var unknown = await RunAsync(["scoresheet", "build", "--cycle", "county:2024", "--org", "640424"], ("ConnectionStrings__Ingest", cs));
        var format = await RunAsync(["scoresheet", "export", "--cycle", "school:2025", "--county", "640424", "--format", "pdf", "--out", "x.pdf"], ("ConnectionStrings__Ingest", cs));
        var column = await RunAsync(["scoresheet", "enter", "--cycle", "school:2025", "--org", "2164240001", "--item", "1", "--column", "county", "--score", "1", "--by", "李老师"],
            ("ConnectionStrings__Ingest", cs));

        (unknown.ExitCode, unknown.StdErr.Trim()).ShouldBe((1, "ingest: No organisation 640424 in the directory; ingest its county first."));
        (format.ExitCode, format.StdErr.Trim()).ShouldBe((1, "ingest: 'pdf' is not an export format: csv, json or xlsx."));
        (column.ExitCode, column.StdErr.Trim()).ShouldBe((1, "ingest: 'county' is not a column: self, bureau or department."));
    }

    private static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(string[] args, params (string Key, string Value)[] environment)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
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
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout, await stderr);
    }
}
