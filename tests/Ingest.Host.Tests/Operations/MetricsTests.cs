using System.Net;
using System.Net.Http.Json;
using Ingest.Fixtures.CloudPlatform;
using Ingest.Fixtures.Progress;
using Ingest.Fixtures.Region;
using Ingest.Host.Operations;
using Ingest.Testing;

namespace Ingest.Host.Tests.Operations;

/// <summary>The Prometheus scrape endpoint: ops only, and after a run through both fakes it carries what operations alert on.</summary>
public class MetricsTests
{
    [Fact]
    public async Task Metrics_answer_ops_only_and_show_rows_pages_facts_durations_upstream_errors_and_rate_limit_waits_after_a_run()
    {
        var cs = await HostFixture.DatabaseAsync();
        var region = DatasetRegion.LoadShipped("cloud-tiny");
        using var cloud = FakeCloudPlatform.Start(region);
        using var progress = FakeProgressSystem.Start(region);
        progress.Faults.NextServiceUnavailable(2);
        var settings = Ingestion.ProgressIngestionTests.Settings(cloud, progress);
        settings["Connectors:Progress:RetryDelay"] = "00:00:00.05";
        await using var host = await HostFixture.StartAsync(cs, settings: settings);
        using var ops = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");
        using var auditor = await HostFixture.ClientAsAsync(host, "auditor", "640000", "审计处");
        using var anonymous = HostFixture.Client(host);
        (await anonymous.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await auditor.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var started = await ops.PostAsJsonAsync("/api/runs", new StartRunBody("school:2024", null, ["640424"], null));
        var run = (await started.Content.ReadFromJsonAsync<StartRunAnswer>())!;
        (await HostFixture.WaitForRunAsync(host, run.RunId)).Status.ShouldBe("succeeded");

        var metrics = await ops.GetStringAsync("/metrics");
        // The meters are the process's: other tests' hosts may add to them while this one runs, so at least what this run did.
        Value(metrics, "ingest_rows_read_total", ("connector", "cloud"), ("stream", "school-content")).ShouldBeGreaterThanOrEqualTo(3, "cloud-tiny lists three schools' content for 640424");
        Value(metrics, "ingest_pages_total", ("connector", "progress"), ("stream", "sessions")).ShouldBeGreaterThan(0);
        Value(metrics, "ingest_facts_written_total", ("connector", "cloud"), ("change", "inserted")).ShouldBeGreaterThan(0);
        Value(metrics, "ingest_unit_duration_seconds_count", ("connector", "progress"), ("status", "succeeded")).ShouldBeGreaterThanOrEqualTo(3, "calendar year, school year, export night");
        Value(metrics, "ingest_rescore_duration_seconds_count").ShouldBeGreaterThanOrEqualTo(1);
        // The fake answered 503 twice before the retries got through; every request waited its turn on the budget.
        Value(metrics, "ingest_upstream_errors_total", ("code", "503"), ("connector", "progress")).ShouldBeGreaterThanOrEqualTo(2);
        Value(metrics, "ingest_upstream_rate_limit_wait_seconds_count", ("budget", "rate"), ("connector", "progress")).ShouldBeGreaterThan(0);
        Value(metrics, "http_server_request_duration_seconds_count", ("http_route", "/api/runs"), ("http_response_status_code", "202")).ShouldBeGreaterThanOrEqualTo(1);
    }

    /// <summary>
    /// The samples of <paramref name="name"/> carrying all of <paramref name="labels"/>, added up: the instruments are the
    /// process's, and the other hosts this test process runs at the same time export theirs too, sometimes under the
    /// same labels. The assertions are lower bounds for that reason.
    /// </summary>
    private static decimal Value(string exposition, string name, params (string Label, string Value)[] labels)
    {
        var lines = exposition.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
            .Where(l => labels.All(x => l.Contains($"{x.Label}=\"{x.Value}\"", StringComparison.Ordinal))).ToArray();
        lines.ShouldNotBeEmpty($"{name} {string.Join(",", labels)} in:\n{string.Join("\n", exposition.Split('\n').Where(l => l.StartsWith(name, StringComparison.Ordinal)))}");
        return lines.Sum(l => decimal.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture));
    }
}
