using System.Diagnostics;
using Ingest.Connectors.Progress.Client;
using Ingest.Core.Connectors;

namespace Ingest.Connectors.Progress.Tests.Client;

/// <summary>The contract's faults: each survivable one gives the facts of a quiet read, and the fake really served it.</summary>
public sealed class FaultTests
{
    private const string County = "640424";

    [Theory]
    [InlineData("503-retry-after")]
    [InlineData("500-under-load")]
    public async Task ReadCountyAsync_SurvivableFault_SameFactsAsAQuietRead(string fault)
    {
        using var quiet = new ProgressHarness();
        var (expected, _) = await quiet.ReadAsync(County, "2024");

        using var harness = new ProgressHarness();
        var kind = fault == "503-retry-after" ? "503" : "500";
        if (kind == "503")
        {
            harness.Fake.Faults.NextServiceUnavailable(2);
        }
        else
        {
            harness.Fake.Faults.NextInternalErrors(3);
        }

        var clock = Stopwatch.StartNew();
        var (batch, _) = await harness.ReadAsync(County, "2024");

        harness.Fake.Count(kind).ShouldBeGreaterThan(0, $"the fake never served the {fault} fault");
        batch.Canonical().ShouldBe(expected.Canonical());
        if (kind == "503")
        {
            clock.Elapsed.ShouldBeGreaterThan(TimeSpan.FromSeconds(1.9), "two answers said Retry-After: 1 and the client waited for each");
        }
    }

    [Fact]
    public async Task ReadCountyAsync_WrongApiKey_FailsTheCountyNamingTheKey()
    {
        using var harness = new ProgressHarness(new Dictionary<string, string?> { ["Connectors:Progress:ApiKey"] = "not-the-key" });

        var failure = await Should.ThrowAsync<KeyRefusedException>(() => harness.ReadAsync(County, "2024"));

        failure.Message.ShouldBe("classrooms of county 640424 for 2024: the progress system refused the API key (HTTP 403); check Connectors:Progress:ApiKey.");
        harness.Fake.Count("403").ShouldBe(1, "a refused key is not retried");
    }

    [Fact]
    public async Task ReadCountyAsync_ManyReadsAtOnce_ShareOneBudgetAndReadWhatEachReadsAlone()
    {
        string[] periods = ["2024", "2023-2024", "2024-06-30", "2024-12-31"];
        using var alone = new ProgressHarness();
        var expected = new List<string[]>();
        foreach (var period in periods)
        {
            expected.Add((await alone.ReadAsync(County, period)).Batch.Canonical());
        }

        // The client runs at 4 a second against the fake's 5. Without the shared budget, four reads with two requests
        // in flight would send dozens a second and most would be throttled; with it, a throttle can only come from
        // answers bunched on their way (a stall of the test machine), and the pipeline then waits out Retry-After.
        using var harness = new ProgressHarness(new Dictionary<string, string?> { ["Connectors:Progress:RequestsPerSecond"] = "4" });
        var batches = await Task.WhenAll(periods.Select(p => harness.ReadAsync(County, p)));

        batches.Select(b => b.Batch.Canonical()).ShouldBe(expected);
        harness.Fake.Count("throttled").ShouldBeLessThanOrEqualTo(2, "the four reads together keep to the process budget");
        harness.Fake.Count("sessions-page").ShouldBeGreaterThan(10);
    }

    [Fact]
    public async Task ReadCountyAsync_ClassroomsSilentWhereThePreviousRunHadMany_FlaggedAndFactsWithheld()
    {
        using var harness = new ProgressHarness();
        harness.Fake.Faults.EmptyListings["classrooms"] = true;
        var context = new DirectoryContext(harness.Region);
        context.Previous["classrooms|640424|2024"] = new StreamReport("classrooms", StreamStatus.Succeeded, 1, 40, 40, 60);

        var (batch, _) = await harness.ReadAsync(County, "2024", context);

        var report = batch.Report("classrooms");
        report.Status.ShouldBe(StreamStatus.Flagged);
        report.FactsEmitted.ShouldBe(0);
        report.Note.ShouldNotBeNull().ShouldStartWith("no rows, where the previous run kept 40");
        batch.Facts.ShouldNotContain(f => f.IndicatorCode == "progress.interactive_classrooms");
        batch.Facts.ShouldNotContain(f => f.IndicatorCode == "progress.classroom_app_index", "an index over no classrooms would be as wrong");
        batch.Value(County, "progress.online_lessons").ShouldBe(22m, "the sessions still count");
    }
}
