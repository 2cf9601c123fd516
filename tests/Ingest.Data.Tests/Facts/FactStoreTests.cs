using Ingest.Core.Connectors;
using Ingest.Core.Facts;
using Ingest.Data.Facts;
using Ingest.Data.Runs;
using Ingest.Testing;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Ingest.Data.Tests.Facts;

public class FactStoreTests
{
    private static readonly DateTimeOffset Night = new(2024, 7, 1, 1, 30, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task CommitUnitAsync_SameBatchInTwoRuns_LeavesOneCopyOfEachFact()
    {
        await using var db = await TestDb.CreateAsync();
        var batch = Batch(Fact("2164012345", 523.5m, 1047m, 2m), Fact("2164012399", 80m, 240m, 3m));

        var first = await db.CommitAsync(batch);
        var second = await db.CommitAsync(batch);

        first.ShouldBe((2, 0, 0));
        second.ShouldBe((0, 0, 2));
        (await db.CountAsync("ingest.fact")).ShouldBe(2);
        (await db.CountAsync("ingest.fact_history")).ShouldBe(0);
    }

    [Fact]
    public async Task CommitUnitAsync_AQuotientOfTwentyNineDigits_IsStoredRoundedAndReadsBack()
    {
        await using var db = await TestDb.CreateAsync();
        // A quotient as a decimal carries up to 29 digits; figures are stored with 16 fractional digits at most, the same
        // every night, so that every figure PostgreSQL answers fits a decimal again (npgsql/npgsql#5762).
        var points = 2_000_000m / 3m;
        points.Scale.ShouldBe((byte)23);
        await db.CommitAsync(Batch(Fact("2164012345", points, 2_000_000m, 3m), Fact("2164012399", 2m / 3m, 2m, 3m)));

        var facts = await new FactReader(db.DataSource).ListAsync(null, null, null, 10, CancellationToken.None);
        facts.Select(f => f.Value).ShouldBe([666666.6666666666666667m, 0.6666666666666667m]);
        facts.Select(f => (f.Numerator, f.Denominator)).ShouldBe([(2_000_000m, 3m), (2m, 3m)]);
        (await db.CommitAsync(Batch(Fact("2164012345", points, 2_000_000m, 3m), Fact("2164012399", 2m / 3m, 2m, 3m))))
            .ShouldBe((0, 0, 2), "the same quotient again is the same figure");
    }

    [Fact]
    public async Task CommitUnitAsync_ChangedValue_KeepsThePreviousValueReadable()
    {
        await using var db = await TestDb.CreateAsync();
        var firstRun = await db.CommitRunAsync(Batch(Fact("2164012345", 0.5m, 1m, 2m)));
        var before = db.Clock.GetUtcNow();
        db.Clock.Advance(TimeSpan.FromDays(1));

        var secondRun = await db.CommitRunAsync(Batch(Fact("2164012345", 0.6m, 3m, 5m)));

        var reader = new FactReader(db.DataSource);
        var history = await reader.HistoryAsync("2164012345", "cloud.app_index", "2023", "cloud", CancellationToken.None);
        history.Select(v => v.Value).ShouldBe([0.5m, 0.6m]);
        history[0].RunId.ShouldBe(firstRun);
        history[0].SupersededAt.ShouldNotBeNull();
        history[1].RunId.ShouldBe(secondRun);
        (await reader.AsOfAsync("2164012345", "cloud.app_index", "2023", "cloud", before, CancellationToken.None))!.Value.ShouldBe(0.5m);
        (await reader.ListAsync("2164012345", null, null, 10, CancellationToken.None)).Single().Value.ShouldBe(0.6m);
    }

    [Fact]
    public async Task CommitUnitAsync_FailsHalfWay_LeavesNothingOfTheBatchAndTheUnitOpen()
    {
        await using var db = await TestDb.CreateAsync();
        var good = Enumerable.Range(0, 500).Select(i => Fact($"21640{i:D5}", i, i, 1m)).ToList();
        // The last row's detail is not JSON: the COPY fails after 500 rows went in.
        var broken = Batch([.. good, Fact("2164099999", 1m, 1m, 1m) with { Detail = "{not json" }]);
        var runId = await db.Runs.CreateRunAsync(TestDb.Request, CancellationToken.None);
        var unit = new UnitKey(runId, "cloud", "640424", "2023");
        await db.Leases.StartUnitAsync(unit, "test", TimeSpan.FromMinutes(5), CancellationToken.None);

        await Should.ThrowAsync<PostgresException>(() => db.Outcomes.CommitUnitAsync(unit, broken, CancellationToken.None));

        (await db.CountAsync("ingest.fact")).ShouldBe(0);
        (await db.CountAsync("ingest.run_stream")).ShouldBe(0);
        (await db.ScalarAsync<string>("SELECT status FROM ingest.run_unit")).ShouldBe("running");
        // The same unit can then be committed whole.
        (await db.Outcomes.CommitUnitAsync(unit, Batch([.. good]), CancellationToken.None))!.FactsInserted.ShouldBe(500);
    }

    [Fact]
    public async Task CommitUnitAsync_UnitAlreadyCommitted_WritesNothingTheSecondTime()
    {
        await using var db = await TestDb.CreateAsync();
        var runId = await db.Runs.CreateRunAsync(TestDb.Request, CancellationToken.None);
        var unit = new UnitKey(runId, "cloud", "640424", "2023");
        await db.Leases.StartUnitAsync(unit, "test", TimeSpan.FromMinutes(5), CancellationToken.None);
        await db.Outcomes.CommitUnitAsync(unit, Batch(Fact("2164012345", 1m, 1m, 1m)), CancellationToken.None);

        var startedAgain = await db.Leases.StartUnitAsync(unit, "test", TimeSpan.FromMinutes(5), CancellationToken.None);
        var again = await db.Outcomes.CommitUnitAsync(unit, Batch(Fact("2164012345", 2m, 2m, 1m)), CancellationToken.None);

        startedAgain.ShouldBe(UnitClaim.Done);
        again.ShouldBeNull();
        (await db.ScalarAsync<decimal>("SELECT value FROM ingest.fact")).ShouldBe(1m);
    }

    [Fact]
    public async Task CommitUnitAsync_TwoFactsWithOneKey_FailsNamingTheKey()
    {
        await using var db = await TestDb.CreateAsync();

        var e = await Should.ThrowAsync<ArgumentException>(() => db.CommitAsync(Batch(Fact("2164012345", 1m, 1m, 1m), Fact("2164012345", 2m, 2m, 1m))));

        e.Message.ShouldContain("2164012345, cloud.app_index, 2023, cloud");
    }

    [Fact]
    public async Task CommitUnitAsync_UnknownValue_IsStoredAsNullNotZero()
    {
        await using var db = await TestDb.CreateAsync();

        await db.CommitAsync(Batch(new IndicatorFact("2164012345", "progress.bandwidth_mbps", "2024-06-30", "progress", null, Unit: "Mbps")));

        (await db.ScalarAsync<bool>("SELECT value IS NULL FROM ingest.fact")).ShouldBeTrue();
    }

    private static IndicatorFact Fact(string org, decimal value, decimal numerator, decimal denominator) =>
        new(org, "cloud.app_index", "2023", "cloud", value, numerator, denominator, "分/人");

    private static CountyBatch Batch(params IndicatorFact[] facts) =>
        new(facts, [], [new StreamReport("teacher-activity", StreamStatus.Succeeded, 1, facts.Length, facts.Length, facts.Length)]);

    private sealed class TestDb : IAsyncDisposable
    {
        public static readonly RunRequest Request = new("cli", "school:2024", ["2023"], ["640424"], ["cloud"], "test");

        private TestDb(NpgsqlDataSource dataSource)
        {
            DataSource = dataSource;
            Runs = new RunStore(dataSource, Clock);
            Leases = new UnitLeaseStore(dataSource, Clock);
            Outcomes = new UnitOutcomeStore(dataSource, Clock);
        }

        public FakeTimeProvider Clock { get; } = new(Night);

        public NpgsqlDataSource DataSource { get; }

        public RunStore Runs { get; }

        public UnitLeaseStore Leases { get; }

        public UnitOutcomeStore Outcomes { get; }

        public static async Task<TestDb> CreateAsync() => new(NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync()));

        public async Task<(int, int, int)> CommitAsync(CountyBatch batch)
        {
            var runId = await Runs.CreateRunAsync(Request, CancellationToken.None);
            var unit = new UnitKey(runId, "cloud", "640424", "2023");
            await Leases.StartUnitAsync(unit, "test", TimeSpan.FromMinutes(5), CancellationToken.None);
            var outcome = (await Outcomes.CommitUnitAsync(unit, batch, CancellationToken.None))!;
            return (outcome.FactsInserted, outcome.FactsUpdated, outcome.FactsUnchanged);
        }

        public async Task<long> CommitRunAsync(CountyBatch batch)
        {
            await CommitAsync(batch);
            return await ScalarAsync<long>("SELECT max(id) FROM ingest.run");
        }

        public async Task<long> CountAsync(string table) => await ScalarAsync<long>($"SELECT count(*) FROM {table}");

        public Task<T> ScalarAsync<T>(string sql) => DataSource.ScalarAsync<T>(sql);

        public ValueTask DisposeAsync() => DataSource.DisposeAsync();
    }
}
