using Ingest.Core.Indicators;
using Ingest.Data.Schema;
using Ingest.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Ingest.Data.Tests.Schema;

public class DatabaseMigratorTests
{
    [Fact]
    public async Task MigrateAsync_EmptyDatabase_CreatesTheSchemaAndTheCatalogue()
    {
        await using var ds = NpgsqlDataSource.Create(await TestPostgres.CreateEmptyDatabaseAsync());

        var applied = await Migrator(ds).MigrateAsync();

        applied.ShouldContain(s => s.EndsWith("0001_foundation.sql", StringComparison.Ordinal));
        var tables = await Strings(ds, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'ingest' ORDER BY 1");
        tables.ShouldBe(["account", "api_token", "audit_event", "bulletin_input", "claim", "claim_import", "county_decision", "county_visit", "county_visit_note", "cultivation_roster", "data_protection_key", "evidence_file", "fact", "fact_history", "indicator", "organisation", "organisation_contact", "printed_form", "raw_page", "remediation_item", "row_spool", "row_spool_owner", "run", "run_stream", "run_unit", "schema_version",
            "scoresheet", "scoresheet_auto", "scoresheet_column", "scoresheet_entry", "scoresheet_import", "scoresheet_stage", "session", "sign_in_failure", "spot_check", "spot_check_draw", "star_application", "star_level"]);
        var indicators = await Strings(ds, "SELECT code FROM ingest.indicator ORDER BY code");
        indicators.ShouldBe(IndicatorCatalogue.All.Select(i => i.Code).Order(StringComparer.Ordinal));
        (await Strings(ds, "SELECT name_zh FROM ingest.indicator WHERE code = 'cloud.app_index'")).ShouldBe(["应用指数"]);
    }

    [Fact]
    public async Task MigrateAsync_UpToDateDatabase_AppliesNothingAndKeepsData()
    {
        await using var ds = NpgsqlDataSource.Create(await TestPostgres.CreateEmptyDatabaseAsync());
        await Migrator(ds).MigrateAsync();
        await using (var insert = ds.CreateCommand("INSERT INTO ingest.organisation (code, name, level, parent_code) VALUES ('640400', '固原市', 'city', '640000')"))
        {
            await insert.ExecuteNonQueryAsync();
        }

        var applied = await Migrator(ds).MigrateAsync();

        applied.ShouldBeEmpty();
        (await Strings(ds, "SELECT name FROM ingest.organisation WHERE code = '640400'")).ShouldBe(["固原市"]);
    }

    [Fact]
    public async Task MigrateAsync_TwoHostsAtOnce_BothSucceedAndEachScriptRunsOnce()
    {
        await using var ds = NpgsqlDataSource.Create(await TestPostgres.CreateEmptyDatabaseAsync());

        var results = await Task.WhenAll(Migrator(ds).MigrateAsync(), Migrator(ds).MigrateAsync());

        results.Sum(r => r.Count).ShouldBe(results.Max(r => r.Count));
        (await Strings(ds, "SELECT scriptname FROM ingest.schema_version")).Count.ShouldBe(results.Max(r => r.Count));
    }

    private static DatabaseMigrator Migrator(NpgsqlDataSource ds) => new(ds, NullLogger<DatabaseMigrator>.Instance);

    private static async Task<List<string>> Strings(NpgsqlDataSource ds, string sql)
    {
        await using var command = ds.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var list = new List<string>();
        while (await reader.ReadAsync())
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }
}
