using System.Diagnostics;
using Ingest.Core.Connectors;

namespace Ingest.Connectors.Progress.Tests.Client;

/// <summary>An upstream that sends its headers and then stalls: the body is read inside the attempt, which times out and is retried.</summary>
public sealed class StalledBodyTests
{
    [Fact]
    public async Task An_answer_that_stalls_after_its_headers_times_the_attempt_out_and_the_retry_reads_it()
    {
        using var quiet = new ProgressHarness();
        var (expected, _) = await quiet.ReadAsync("640424", "2024");

        StallingProxy? proxy = null;
        using var harness = new ProgressHarness(new Dictionary<string, string?> { ["Connectors:Progress:AttemptTimeout"] = "00:00:01" },
            route: url => (proxy = new StallingProxy(url, stallFirst: 1)).Url);
        using var _ = proxy;
        var clock = Stopwatch.StartNew();
        var (batch, _) = await harness.ReadAsync("640424", "2024");

        proxy!.Stalled.ShouldBe(1);
        clock.Elapsed.ShouldBeGreaterThan(TimeSpan.FromSeconds(0.9), "the stalled attempt waited out its second");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), "and no more: the retry read the answer");
        batch.Streams.ShouldAllBe(s => s.Status != StreamStatus.Failed);
        batch.Canonical().ShouldBe(expected.Canonical());
    }

    [Fact]
    public async Task An_answer_past_the_page_budget_fails_the_read_with_the_reason_and_is_not_asked_again()
    {
        using var harness = new ProgressHarness(new Dictionary<string, string?> { ["Connectors:Progress:MaxPageBytes"] = "512" });

        // 泾源县's classroom listing is larger than 512 bytes: the county's read stops there, saying why (its unit fails,
        // the host goes on), and the page is not asked for again.
        var failure = await Should.ThrowAsync<ConnectorException>(() => harness.ReadAsync("640424", "2024"));
        failure.Message.ShouldContain("GET /progress/v2/classrooms?county=640424: the answer went past the 512 bytes a page may have");
        harness.Fake.Count("classrooms").ShouldBe(1);
    }
}
