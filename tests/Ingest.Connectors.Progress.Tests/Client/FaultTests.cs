using System.Diagnostics;
using Ingest.Connectors.Progress.Client;
using Ingest.Core.Connectors;
using Ingest.Fixtures.Progress;

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
    public async Task ReadCountyAsync_ManyReadsAtOnce_StayUnderTheSystemsThrottle()
    {
        // The client runs at 4 a second against the fake's 5, a margin for a loaded machine: what is under test is
        // that four reads at once share one budget, not how close to the limit it can be cut.
        using var harness = new ProgressHarness(new Dictionary<string, string?> { ["Connectors:Progress:RequestsPerSecond"] = "4" });
        var reads = new[] { "2024", "2023-2024", "2024-06-30", "2024-12-31" }.Select(p => harness.ReadAsync(County, p)).ToArray();

        await Task.WhenAll(reads);

        harness.Fake.Count("throttled").ShouldBe(0, "the four reads together keep to the process budget");
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
