using System.Net;
using System.Net.Http.Json;
using Ingest.Application.Rating;
using Ingest.Core.Periods;
using Ingest.Data.Organisations;
using Ingest.Data.Scoresheets;
using Ingest.Fixtures.CloudPlatform;
using Ingest.Fixtures.Progress;
using Ingest.Fixtures.Region;
using Ingest.Host.Operations;
using Ingest.Host.Tests.Ingestion;
using Ingest.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ingest.Host.Tests.Scoring;

/// <summary>
/// Set-based scoring against the per-sheet path, on the facts of a region of 22 counties read through both fakes: the
/// same lines and columns, and a re-score with nothing new writes nothing. Twelve schools a county give every county
/// sheet and the schools' variety (types, sizes, missing figures) at an eighth of the whole region's schools: the whole
/// region's speed is the benchmark's (bench/RESULTS.md), the agreement is this test's.
/// </summary>
[RunsLong]
public sealed class SetBasedScoringTests
{
    private const string Lines = """
        SELECT string_agg(format('%s %s %s | %s | %s | %s | %s | %s | %s | %s', s.org_code, s.cycle, a.target, a.score, a.reason, a.summary, a.settings,
                                 a.evidence, a.on_site, encode(a.fingerprint, 'hex')), E'\n' ORDER BY s.org_code, s.cycle, a.target)
        FROM ingest.scoresheet_auto a JOIN ingest.scoresheet s ON s.id = a.scoresheet_id
        """;

    private const string Columns = """
        SELECT string_agg(format('%s %s %s | %s | %s | %s | %s | %s | %s | %s | %s', s.org_code, s.cycle, c.rating_column, c.total, c.areas, c.stars,
                                 c.stars_by_total, c.unmet_veto_items, c.pending, c.not_computable, c.entries), E'\n' ORDER BY s.org_code, s.cycle, c.rating_column)
        FROM ingest.scoresheet_column c JOIN ingest.scoresheet s ON s.id = c.scoresheet_id
        """;

    private const string Sheets = "SELECT string_agg(format('%s %s %s %s', org_code, cycle, periods, settings), E'\\n' ORDER BY org_code, cycle) FROM ingest.scoresheet";

    [Fact]
    public async Task Region_SetBasedScoring_GivesExactlyThePerSheetLines_AndARescoreWithNothingNewWritesNothing()
    {
        var cs = await HostFixture.DatabaseAsync();
        var region = new SyntheticRegion(20240901, new RegionSize(22, 12, 20));
        using var cloud = FakeCloudPlatform.Start(region);
        using var progress = FakeProgressSystem.Start(region);
        var settings = ProgressIngestionTests.Settings(cloud, progress);
        settings.Remove("Connectors:Progress:SessionsPageSize");
        await using var host = await HostFixture.StartAsync(cs, settings: settings);
        using var ops = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");
        var started = await ops.PostAsJsonAsync("/api/runs", new StartRunBody("school:2025", null, null, null));
        started.EnsureSuccessStatusCode();
        var run = await HostFixture.WaitForRunAsync(host, (await started.Content.ReadFromJsonAsync<StartRunAnswer>())!.RunId, seconds: 300);
        run.Status.ShouldBe("succeeded");

        var service = host.App.Services.GetRequiredService<ScoresheetPrefill>();
        var directory = host.App.Services.GetRequiredService<OrganisationStore>();
        var schools = await directory.ListActiveSchoolCodesAsync(null, CancellationToken.None);
        var counties = await directory.ListCountyCodesAsync(CancellationToken.None);
        (schools.Count, counties.Count).ShouldBe((region.Counties.Sum(c => region.Schools(c.OrgCode).Count(s => s.Status == 1)), 22));
        EvaluationCycle school = EvaluationCycle.Parse("school:2025"), county = EvaluationCycle.Parse("county:2025");

        // The per-sheet path, one sheet at a time (four at once: the sheets are independent).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForEachAsync(schools.Select(c => (c, school)).Concat(counties.Select(c => (c, county))),
            new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (sheet, ct) => await service.BuildAsync(sheet.c, sheet.Item2, Data.Audit.Actor.CommandLine("测试"), ct));
        Console.WriteLine($"per-sheet: {clock.ElapsedMilliseconds} ms");

        var perSheet = (Lines: await HostFixture.ScalarAsync<string>(cs, Lines), Columns: await HostFixture.ScalarAsync<string>(cs, Columns),
            Sheets: await HostFixture.ScalarAsync<string>(cs, Sheets));
        perSheet.Lines.Split('\n').Length.ShouldBeGreaterThan(schools.Count * 10);
        perSheet.Lines.ShouldContain("| 2 |", customMessage: "some line scores from the region's facts");

        // Nothing changed since: the set-based path finds every line as it is and writes none of them.
        using var department = await HostFixture.ClientAsAsync(host, "department", "640000", "厅评审");
        clock.Restart();
        var again = await Rescore(department, school);
        Console.WriteLine($"set-based, nothing new: {clock.ElapsedMilliseconds} ms");
        (again.Sheets, again.Created, again.LinesWritten, again.LinesRemoved).ShouldBe((schools.Count, 0, 0, 0));
        again.LinesUnchanged.ShouldBe(perSheet.Lines.Split('\n').Count(l => l.Contains(" school:2025 ", StringComparison.Ordinal)));

        // From nothing, set-based: the same lines, columns and sheets as the per-sheet path gave.
        await HostFixture.ScalarAsync<long>(cs, "WITH d AS (DELETE FROM ingest.scoresheet RETURNING 1) SELECT count(*) FROM d");
        clock.Restart();
        var built = await Rescore(department, school);
        Console.WriteLine($"set-based, from nothing: {clock.ElapsedMilliseconds} ms");
        (built.Sheets, built.Created).ShouldBe((schools.Count, schools.Count));
        (await Rescore(department, county)).Created.ShouldBe(22);
        (await HostFixture.ScalarAsync<string>(cs, Lines)).ShouldBe(perSheet.Lines);
        (await HostFixture.ScalarAsync<string>(cs, Columns)).ShouldBe(perSheet.Columns);
        (await HostFixture.ScalarAsync<string>(cs, Sheets)).ShouldBe(perSheet.Sheets);
    }

    private static async Task<BulkScoreOutcome> Rescore(HttpClient http, EvaluationCycle cycle)
    {
        var response = await http.PostAsync($"/api/region/scoresheets/{cycle}", null);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<BulkScoreOutcome>())!;
    }
}
