using Ingest.Host.Scheduling;
using Ingest.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ingest.Host.Tests.Operations;

/// <summary>The nightly retention job keeps the raw archive to its configured days, and says what it pruned.</summary>
public class RetentionTests
{
    [Fact]
    public async Task The_retention_job_prunes_pages_older_than_the_setting_keeps_the_rest_and_records_it()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs, new TestConnector(), new Dictionary<string, string?>
        {
            ["Ingest:Retention:RawPageDays"] = "30",
            ["Ingest:Retention:BatchSize"] = "3",
            ["Ingest:Hangfire:Server"] = "false",
        });
        await People.People.SeedAsync(host);
        // Ten answers of run 1: read 40, 39 … 31 days ago, and four read 29 … 26 days ago.
        (await HostFixture.ScalarAsync<long>(cs, """
            WITH pages AS (
                INSERT INTO ingest.raw_page (run_id, connector, stream, county_code, period, sequence, request, http_status, body, sha256, fetched_at)
                SELECT 1, 'cloud', 'teacher-activity', '640424', '2023', n, 'GET /p' || n, 200, '\x7b7d', sha256('\x7b7d'), now() - make_interval(days => CASE WHEN n < 10 THEN 40 - n ELSE 39 - n END)
                FROM generate_series(0, 13) AS n RETURNING 1)
            SELECT count(*) FROM pages
            """)).ShouldBe(14);

        var facts = await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.fact");
        var pruned = await host.App.Services.GetRequiredService<RawArchiveRetentionJob>().RunAsync(CancellationToken.None);

        pruned.ShouldBe(10);
        (await HostFixture.ScalarAsync<string>(cs, "SELECT string_agg(request, ',' ORDER BY sequence) FROM ingest.raw_page")).ShouldBe("GET /p10,GET /p11,GET /p12,GET /p13");
        (await HostFixture.ScalarAsync<string>(cs, "SELECT new_value->>'pruned' FROM ingest.audit_event WHERE action = 'retention.prune'")).ShouldBe("10");
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.fact")).ShouldBe(facts, "facts are not the archive: the prune leaves every one");
    }
}
