using System.Net;
using System.Net.Http.Json;
using Ingest.Host.Operations;
using Ingest.Testing;
using Npgsql;

namespace Ingest.Host.Tests.Hosting;

public class IngestWebHostTests
{
    [Fact]
    public async Task StartAsync_TwoHostsOnOneDatabase_RegisterEachRecurringJobOnce()
    {
        // Two first starts on one empty database: each makes the schemas if need be, and registers the jobs.
        var cs = await TestPostgres.CreateEmptyDatabaseAsync();

        await using var first = await HostFixture.StartAsync(cs);
        await using var second = await HostFixture.StartAsync(cs);

        // The night, the sweeper of units whose worker stopped, and the raw archive's retention: one entry each.
        (await HostFixture.ScalarAsync<string>(cs, "SELECT string_agg(value, ' ' ORDER BY value) FROM hangfire.set WHERE key = 'recurring-jobs'"))
            .ShouldBe("nightly-ingestion raw-archive-retention unit-sweeper");
        (await HostFixture.ScalarAsync<string>(cs, "SELECT value FROM hangfire.hash WHERE key = 'recurring-job:nightly-ingestion' AND field = 'TimeZoneId'"))
            .ShouldBe("Asia/Shanghai");
    }

    [Fact]
    public async Task StopAsync_OneOfTwoHostsInAProcess_TheOtherStillRunsItsJobs()
    {
        // Hangfire keeps its log provider in a static; a host that is stopped must not take the other's logging down.
        var connector = new TestConnector();
        var cs = await HostFixture.DatabaseAsync();
        await using var survivor = await HostFixture.StartAsync(cs, connector);
        var stopped = await HostFixture.StartAsync(await HostFixture.DatabaseAsync());
        await stopped.StopAsync();
        using var http = await HostFixture.ClientAsAsync(survivor, "ops", "640000", "运维值班");

        var response = await http.PostAsJsonAsync("/api/runs", new StartRunBody(null, "2023", ["640424"], null));

        var answer = (await response.Content.ReadFromJsonAsync<StartRunAnswer>())!;
        (await HostFixture.WaitForRunAsync(survivor, answer.RunId)).Status.ShouldBe("succeeded");
        connector.Reads.ShouldBe(1);
    }

    [Fact]
    public async Task HealthAndOpenApi_OverHttp_AnswerReadyAndDescribeTheApi()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        using var http = HostFixture.Client(host);

        (await http.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var ready = await http.GetAsync("/health/ready");
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var ops = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");
        var openApi = await ops.GetStringAsync("/openapi/v1.json");
        openApi.ShouldContain("\"/api/runs\"");
        openApi.ShouldContain("\"/api/facts/history\"");
    }

    [Fact]
    public async Task StopAsync_HostStartedTheLocalCluster_StopsIt()
    {
        var root = Path.Combine(Path.GetTempPath(), $"ingest-test-pg-{Environment.ProcessId}-host{Guid.NewGuid().ToString("N")[..8]}");
        try
        {
            var host = await HostFixture.StartAsync(null, settings: new Dictionary<string, string?> { ["Ingest:EmbeddedPostgres:DataDirectory"] = root });
            var cluster = host.Database.Cluster!;
            cluster.StartedHere.ShouldBeTrue();
            var cs = cluster.ConnectionString;
            (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.schema_version")).ShouldBeGreaterThan(0);

            await host.StopAsync();

            NpgsqlConnection.ClearAllPools();
            await Should.ThrowAsync<NpgsqlException>(() => HostFixture.ScalarAsync<int>(cs + ";Timeout=3", "SELECT 1"));
            File.Exists(Path.Combine(cluster.DataDirectory, "postmaster.pid")).ShouldBeFalse();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            File.Delete(root + ".lock");
        }
    }
}
