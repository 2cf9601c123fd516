using Ingest.Core.Connectors;
using Ingest.Core.Facts;
using Ingest.Data.Facts;
using Ingest.Data.Runs;
using Ingest.Testing;
using Npgsql;

namespace Ingest.Data.Tests.Facts;

public class RegionAggregatorTests
{
    [Fact]
    public async Task AggregateAsync_RatioIndicator_IsTheRatioOfSumsNotTheMeanOfCountyRatios()
    {
        await using var ds = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync());
        await SeedCountiesAsync(ds);
        // 泾源县 10 of 20 teachers active (50%), 彭阳县 90 of 100 (90%): the region is 100 / 120, not (50% + 90%) / 2.
        var runId = await CommitAsync(ds,
            IndicatorFact.Ratio("640424", "cloud.space_active_rate", Core.Periods.Period.CalendarYear(2023), "cloud", 10m, 20m),
            IndicatorFact.Ratio("640425", "cloud.space_active_rate", Core.Periods.Period.CalendarYear(2023), "cloud", 90m, 100m));

        await new RegionAggregator(ds, TimeProvider.System).AggregateAsync(runId, "cloud", "2023", CancellationToken.None);

        var region = (await new FactReader(ds).ListAsync("640000", "cloud.space_active_rate", "2023", 10, CancellationToken.None)).Single();
        region.Numerator.ShouldBe(100m);
        region.Denominator.ShouldBe(120m);
        region.Value.ShouldBe(FactStore.Stored(100m / 120m), "stored with 16 fractional digits: 0.8333333333333333");
        region.Detail.ShouldNotBeNull();
        region.Detail.ShouldContain("\"counties\": 2");
        region.Detail.ShouldContain("\"countiesInDirectory\": 3");
    }

    [Fact]
    public async Task AggregateAsync_CountWithOneCountyUnknown_IsUnknownNotAPartialSum()
    {
        await using var ds = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync());
        await SeedCountiesAsync(ds);
        var runId = await CommitAsync(ds,
            new IndicatorFact("640424", "progress.security_system", "2024-06-30", "progress", 12m),
            new IndicatorFact("640425", "progress.security_system", "2024-06-30", "progress", null));

        await new RegionAggregator(ds, TimeProvider.System).AggregateAsync(runId, "progress", "2024-06-30", CancellationToken.None);

        var region = (await new FactReader(ds).ListAsync("640000", "progress.security_system", null, 10, CancellationToken.None)).Single();
        region.Value.ShouldBeNull();
        region.Detail!.ShouldContain("\"countiesUnknown\": 1");
    }

    private static async Task SeedCountiesAsync(NpgsqlDataSource ds)
    {
        await using var command = ds.CreateCommand("""
            INSERT INTO ingest.organisation (code, name, level, parent_code) VALUES
              ('640400', '固原市', 'city', '640000'),
              ('640424', '泾源县', 'county', '640400'), ('640425', '彭阳县', 'county', '640400'), ('640423', '隆德县', 'county', '640400')
            """);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CommitAsync(NpgsqlDataSource ds, params IndicatorFact[] facts)
    {
        var runs = new RunStore(ds, TimeProvider.System);
        var leases = new UnitLeaseStore(ds, TimeProvider.System);
        var outcomes = new UnitOutcomeStore(ds, TimeProvider.System);
        var runId = await runs.CreateRunAsync(new RunRequest("cli", null, [facts[0].Period], null, [facts[0].Source], "test"), CancellationToken.None);
        foreach (var county in facts.GroupBy(f => f.OrgCode))
        {
            var unit = new UnitKey(runId, facts[0].Source, county.Key, facts[0].Period);
            await leases.StartUnitAsync(unit, "test", TimeSpan.FromMinutes(5), CancellationToken.None);
            await outcomes.CommitUnitAsync(unit, new CountyBatch(county.ToArray(), [], []), CancellationToken.None);
        }

        return runId;
    }
}
