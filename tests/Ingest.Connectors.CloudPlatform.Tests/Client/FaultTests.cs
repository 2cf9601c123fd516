using Ingest.Core.Connectors;
using Ingest.Data.Raw;
using Ingest.Fixtures.CloudPlatform;
using Ingest.Fixtures.Region;
using Ingest.Testing;
using Npgsql;

namespace Ingest.Connectors.CloudPlatform.Tests.Client;

/// <summary>
/// Each fault of the contract, served by the fake: the connector survives it with the very facts of a clean read,
/// or fails just the county with its reason. Each test also checks the fake really served the fault.
/// </summary>
public sealed class FaultTests
{
    private const string County = "640424";

    public static TheoryData<string> Survivable => ["429", "gateway", "slow", "revoked-token", "cursor-expired", "repeated-rows", "internal-error"];

    [Theory]
    [MemberData(nameof(Survivable))]
    public async Task ReadCountyAsync_SurvivableFault_SameFactsAsCleanRead(string fault)
    {
        string[] expected;
        using (var clean = new CloudHarness())
        {
            expected = (await clean.ReadAsync(County, "2024")).Batch.Canonical();
        }

        using var harness = new CloudHarness();
        var faults = harness.Fake.Faults;
        var served = fault switch
        {
            "429" => Set(() => { faults.ThrottleEvery = 4; faults.RetryAfterSeconds = 1; }, "429"),
            "gateway" => Set(() => faults.NextGatewayErrors(3), "502", "503"),
            "slow" => Set(() => { faults.SlowDelay = TimeSpan.FromSeconds(4); faults.NextSlowResponses(1); }, "slow"),
            "revoked-token" => Set(() => faults.RevokeTokensAfter(3), "40101"),
            "cursor-expired" => Set(() => faults.NextCursorExpiries(1), "40401"),
            "repeated-rows" => Set(() => faults.RepeatRows = true, "repeat"),
            _ => Set(() => faults.NextInternalErrors(2), "50000"),
        };

        var (batch, _) = await harness.ReadAsync(County, "2024");

        batch.Canonical().ShouldBe(expected);
        served.Sum(harness.Fake.Count).ShouldBeGreaterThan(0, $"the fake never served the {fault} fault");
        var teachers = batch.Streams.Single(s => s.Stream == "teacher-activity");
        switch (fault)
        {
            case "revoked-token":
                harness.Fake.TokensUsed.ShouldBe(2, "one token at the start, one after the revocation");
                break;
            case "cursor-expired":
                teachers.Note!.ShouldContain("cursor expired");
                teachers.RowsKept.ShouldBe(8);
                break;
            case "repeated-rows":
                // Pages 1 and 2 each carried an older copy of the next page's first row.
                (teachers.RowsRead, teachers.RowsKept).ShouldBe((10L, 8L));
                teachers.Note!.ShouldContain("2 repeated rows kept once");
                break;
        }
    }

    [Fact]
    public async Task ReadCountyAsync_CountyForbidden_FailsThatCountyOnlyWithTheReason()
    {
        using var harness = new CloudHarness();
        harness.Fake.Faults.ForbiddenCounties[County] = true;

        var failure = await Should.ThrowAsync<ConnectorException>(() => harness.ReadAsync(County, "2024"));
        var other = await harness.ReadAsync("640422", "2024");

        failure.Message.ShouldContain("county 640424");
        failure.Message.ShouldContain("40301");
        harness.Fake.Count("40301").ShouldBe(1, "40301 is not retried");
        other.Batch.Value("640422", "cloud.teacher_accounts").ShouldBe(2m);
    }

    [Fact]
    public async Task ReadCountyAsync_GatewayErrorsOutlastRetries_FailsWithTheStatus()
    {
        using var harness = new CloudHarness(settings: new Dictionary<string, string?> { ["Connectors:CloudPlatform:MaxRetries"] = "2" });
        harness.Fake.Faults.NextGatewayErrors(100);

        var failure = await Should.ThrowAsync<ConnectorException>(() => harness.ReadAsync(County, "2024"));

        failure.Message.ShouldMatch(@"orgs of county 640424.*HTTP 50[23]");
        (harness.Fake.Count("502") + harness.Fake.Count("503")).ShouldBe(3, "the first attempt and two retries");
    }

    [Fact]
    public async Task ReadCountyAsync_InternalErrorsOutlastRetries_FailsNamingTheCode()
    {
        using var harness = new CloudHarness(settings: new Dictionary<string, string?> { ["Connectors:CloudPlatform:InternalErrorRetries"] = "1" });
        harness.Fake.Faults.NextInternalErrors(5);

        var failure = await Should.ThrowAsync<ConnectorException>(() => harness.ReadAsync(County, "2024"));

        failure.Message.ShouldContain("50000");
        harness.Fake.Count("50000").ShouldBe(2);
    }

    [Fact]
    public async Task ReadCountyAsync_CursorKeepsExpiring_FailsAfterTheConfiguredRestarts()
    {
        using var harness = new CloudHarness(settings: new Dictionary<string, string?> { ["Connectors:CloudPlatform:CursorRestarts"] = "1" });
        harness.Fake.Faults.NextCursorExpiries(100);

        var failure = await Should.ThrowAsync<ConnectorException>(() => harness.ReadAsync(County, "2024"));

        failure.Message.ShouldContain("teacher-activity of county 640424 for 2024: cursor expired (40401)");
        harness.Fake.Count("40401").ShouldBe(2);
    }

    /// <summary>The teacher listings go through the database's spool in the host: the same facts and counts as in memory.</summary>
    [Theory]
    [InlineData("cursor-expired")]
    [InlineData("repeated-rows")]
    public async Task ReadCountyAsync_RowsSpooledInPostgreSql_SameFactsAndReportsAsInMemory(string fault)
    {
        await using var ds = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync());
        var store = new RowSpoolStore(ds);
        CountyBatch inMemory;
        using (var memory = new CloudHarness())
        {
            Serve(memory.Fake.Faults, fault);
            inMemory = (await memory.ReadAsync(County, "2024")).Batch;
        }

        using var harness = new CloudHarness();
        Serve(harness.Fake.Faults, fault);
        var (batch, _) = await harness.ReadAsync(County, "2024", new RecordingContext { Spools = store });

        batch.Canonical().ShouldBe(inMemory.Canonical());
        batch.Streams.ShouldBe(inMemory.Streams);
        batch.Streams.Single(s => s.Stream == "teacher-activity").Note.ShouldNotBeNull().ShouldContain(fault == "cursor-expired" ? "cursor expired" : "repeated rows");
        (await store.OpenCountAsync(CancellationToken.None)).ShouldBe(0, "each spool is dropped once its listing is added up");

        static void Serve(CloudFaults faults, string fault)
        {
            if (fault == "cursor-expired")
            {
                faults.NextCursorExpiries(1);
            }
            else
            {
                faults.RepeatRows = true;
            }
        }
    }

    [Fact]
    public async Task ReadCountyAsync_WrongClientSecret_FailsNamingTheSettings()
    {
        using var harness = new CloudHarness(settings: new Dictionary<string, string?> { ["Connectors:CloudPlatform:ClientSecret"] = "wrong" });

        var failure = await Should.ThrowAsync<ConnectorException>(() => harness.ReadAsync(County, "2024"));

        failure.Message.ShouldContain("Connectors:CloudPlatform:ClientId and ClientSecret");
    }

    [Fact]
    public async Task ReadCountyAsync_UpstreamUnreachable_FailsSayingSoAndNamingTheSetting()
    {
        using var harness = new CloudHarness(settings: new Dictionary<string, string?>
        {
            ["Connectors:CloudPlatform:BaseUrl"] = "http://127.0.0.1:9/", // discard port: nothing listens
            ["Connectors:CloudPlatform:MaxRetries"] = "1",
        });

        var failure = await Should.ThrowAsync<ConnectorException>(() => harness.ReadAsync(County, "2024"));

        failure.Message.ShouldStartWith("The Education Cloud token endpoint did not answer (SocketException: Connection refused)");
        failure.Message.ShouldContain("Connectors:CloudPlatform:BaseUrl");
    }

    [Fact]
    public async Task ReadCountyAsync_ManyPagesQuickly_StaysUnderThePlatformsRateLimit()
    {
        // The fake throttles above 20 requests a second, as the platform does. About 35 requests on loopback
        // would take a fraction of a second unthrottled; the client's limiter spreads them out instead. The
        // client runs at 15 a second here: on a loaded two-core CI machine the fake can handle requests late
        // and bunched, which says nothing about the client.
        using var harness = new CloudHarness(new SyntheticRegion(7, RegionSize.Tiny), new Dictionary<string, string?>
        {
            ["Connectors:CloudPlatform:CursorLimit"] = "10",
            ["Connectors:CloudPlatform:PageSize"] = "5",
            ["Connectors:CloudPlatform:RequestsPerSecond"] = "15",
        });
        var county = new SyntheticRegion(7, RegionSize.Tiny).Counties[0].OrgCode;

        var (batch, context) = await harness.ReadAsync(county, "2024");

        context.Pages.Count.ShouldBeGreaterThan(30);
        harness.Fake.Count("429").ShouldBe(0);
        batch.Streams.ShouldAllBe(s => s.Status == StreamStatus.Succeeded);
    }

    private static string[] Set(Action apply, params string[] kinds)
    {
        apply();
        return kinds;
    }
}
