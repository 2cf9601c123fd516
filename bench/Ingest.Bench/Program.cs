// Fact store throughput: a region-sized night of facts written through the production path
// (one unit per county: binary COPY, history-keeping upsert, checkpoint), first as new facts,
// then unchanged (a rerun), then with a tenth of the values changed; then, on the same rows and
// units, the ceilings the production path is measured against: binary COPY into an unindexed
// table, and COPY into a staging table followed by one INSERT … ON CONFLICT into a table keyed
// like the fact table.
// Usage: dotnet run -c Release --project bench/Ingest.Bench -- [schools=2000] [indicators=25] [periods=3] [counties=22]
// BENCH_PG_OPTIONS adds server options (e.g. auto_explain); BENCH_SQL runs SQL after migrating (an experiment: drop an index,
// a constraint); BENCH_KEEP=1 keeps the cluster folder and its log.
using System.Diagnostics;
using System.Globalization;
using Ingest.Core.Connectors;
using Ingest.Core.Facts;
using Ingest.Core.Indicators;
using Ingest.Data.Embedded;
using Ingest.Data.Runs;
using Ingest.Data.Schema;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

var inv = CultureInfo.InvariantCulture;
int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], inv) : fallback;
var schools = Arg(0, 2000);
var indicators = IndicatorCatalogue.All.Take(Arg(1, 25)).ToArray();
string[] allPeriods = ["2023", "2023-2024", "2024-2025"];
var periods = allPeriods.Take(Arg(2, 3)).ToArray();
var counties = Arg(3, 22);

var root = Path.Combine(Path.GetTempPath(), "ingest-bench-pg-" + Environment.ProcessId);
await using var cluster = await EmbeddedPostgresCluster.StartAsync(new EmbeddedPostgresOptions { DataDirectory = root }, root, NullLogger.Instance, Environment.GetEnvironmentVariable("BENCH_PG_OPTIONS"));
try
{
    await using var ds = NpgsqlDataSource.Create(cluster.ConnectionString);
    await new DatabaseMigrator(ds, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
    var runs = new RunStore(ds, TimeProvider.System);
    if (Environment.GetEnvironmentVariable("BENCH_SQL") is { } sql)
    {
        await using var x = ds.CreateCommand(sql);
        await x.ExecuteNonQueryAsync();
    }

    Console.WriteLine($"{schools} schools in {counties} counties x {indicators.Length} indicators x {periods.Length} periods = " +
        $"{(long)schools * indicators.Length * periods.Length:N0} facts per night (PostgreSQL on 127.0.0.1:{cluster.Port})");
    var production = await Night("new facts", change: null);
    await Night("rerun, unchanged", change: null);
    await Night("rerun, 10% changed", change: 10);
    var copyOnly = await Ceiling("ceiling: COPY", keyed: false);
    var staged = await Ceiling("ceiling: COPY+upsert", keyed: true);
    Console.WriteLine(string.Create(inv,
        $"the production path's first night at {100 * production / staged:F0}% of the staging-upsert ceiling ({100 * production / copyOnly:F0}% of plain COPY)"));
    Console.WriteLine($"peak working set {Environment.WorkingSet / 1048576.0:F0} MiB now, {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB peak");

    List<IndicatorFact> Facts(int c, string period, int? change)
    {
        var county = (640100 + c).ToString(inv);
        var facts = new List<IndicatorFact>(schools / counties * indicators.Length);
        for (var s = c; s < schools; s += counties)
        {
            var org = county + s.ToString("D4", inv);
            foreach (var i in indicators)
            {
                var n = (decimal)((s * 7 + i.Code.Length) % 97);
                if (change is { } pct && s % (100 / pct) == 0)
                {
                    n += 1;
                }

                facts.Add(new IndicatorFact(org, i.Code, period, "bench", n / 97m, n, 97m, i.Unit));
            }
        }

        return facts;
    }

    // The same rows and the same units (a transaction per county and period), with nothing but the write itself.
    async Task<double> Ceiling(string label, bool keyed)
    {
        var table = keyed ? "bench_keyed" : "bench_copy";
        await using (var create = ds.CreateCommand($"""
            DROP TABLE IF EXISTS {table};
            CREATE TABLE {table} (org_code text NOT NULL, indicator_code text NOT NULL, period text NOT NULL, source text NOT NULL,
                value numeric, numerator numeric, denominator numeric, unit text, run_id bigint NOT NULL, fetched_at timestamptz NOT NULL
                {(keyed ? ", PRIMARY KEY (org_code, indicator_code, period, source)" : string.Empty)})
            """))
        {
            await create.ExecuteNonQueryAsync();
        }

        var batches = Enumerable.Range(0, counties).SelectMany(c => periods.Select(p => Facts(c, p, null))).ToArray();
        var clock = Stopwatch.StartNew();
        long total = 0;
        foreach (var facts in batches)
        {
            await using var connection = await ds.OpenConnectionAsync();
            await using var tx = await connection.BeginTransactionAsync();
            var target = table;
            if (keyed)
            {
                await using var staging = new NpgsqlCommand(
                    "CREATE TEMP TABLE bench_staging (LIKE bench_keyed INCLUDING DEFAULTS) ON COMMIT DROP", connection, tx);
                await staging.ExecuteNonQueryAsync();
                target = "bench_staging";
            }

            await using (var copy = await connection.BeginBinaryImportAsync(
                $"COPY {target} (org_code, indicator_code, period, source, value, numerator, denominator, unit, run_id, fetched_at) FROM STDIN (FORMAT BINARY)"))
            {
                var now = TimeProvider.System.GetUtcNow();
                foreach (var f in facts)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(f.OrgCode);
                    await copy.WriteAsync(f.IndicatorCode);
                    await copy.WriteAsync(f.Period);
                    await copy.WriteAsync(f.Source);
                    await copy.WriteAsync(f.Value, NpgsqlTypes.NpgsqlDbType.Numeric);
                    await copy.WriteAsync(f.Numerator, NpgsqlTypes.NpgsqlDbType.Numeric);
                    await copy.WriteAsync(f.Denominator, NpgsqlTypes.NpgsqlDbType.Numeric);
                    await copy.WriteAsync(f.Unit);
                    await copy.WriteAsync(1L);
                    await copy.WriteAsync(now, NpgsqlTypes.NpgsqlDbType.TimestampTz);
                }

                await copy.CompleteAsync();
            }

            if (keyed)
            {
                await using var upsert = new NpgsqlCommand("""
                    INSERT INTO bench_keyed SELECT * FROM bench_staging
                    ON CONFLICT (org_code, indicator_code, period, source) DO UPDATE
                    SET value = excluded.value, numerator = excluded.numerator, denominator = excluded.denominator, unit = excluded.unit,
                        run_id = excluded.run_id, fetched_at = excluded.fetched_at
                    """, connection, tx);
                await upsert.ExecuteNonQueryAsync();
            }

            await tx.CommitAsync();
            total += facts.Count;
        }

        clock.Stop();
        var rate = total / clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(inv, $"{label,-20} {total,9:N0} rows  in {clock.Elapsed.TotalSeconds,6:F2} s = {rate,9:N0} rows/s"));
        return rate;
    }

    async Task<double> Night(string label, int? change)
    {
        var runId = await runs.CreateRunAsync(new RunRequest("bench", null, periods, null, ["bench"], "bench"), CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        long inserted = 0, updated = 0, unchanged = 0;
        for (var c = 0; c < counties; c++)
        {
            var county = (640100 + c).ToString(inv);
            foreach (var period in periods)
            {
                var facts = Facts(c, period, change);
                var unit = new UnitKey(runId, "bench", county, period);
                await runs.StartUnitAsync(unit, "bench", TimeSpan.FromMinutes(5), CancellationToken.None);
                var outcome = (await runs.CommitUnitAsync(unit, new CountyBatch(facts, [], []), CancellationToken.None))!;
                inserted += outcome.FactsInserted;
                updated += outcome.FactsUpdated;
                unchanged += outcome.FactsUnchanged;
            }
        }

        clock.Stop();
        var total = inserted + updated + unchanged;
        Console.WriteLine(string.Create(inv,
            $"{label,-20} {total,9:N0} facts in {clock.Elapsed.TotalSeconds,6:F2} s = {total / clock.Elapsed.TotalSeconds,9:N0} facts/s " +
            $"(new {inserted:N0}, changed {updated:N0}, unchanged {unchanged:N0}); allocated {(GC.GetTotalAllocatedBytes(true) - allocated) / 1048576.0:F0} MiB"));
        return total / clock.Elapsed.TotalSeconds;
    }
}
finally
{
    await cluster.StopAsync();
    if (Environment.GetEnvironmentVariable("BENCH_KEEP") is null)
    {
        Directory.Delete(root, recursive: true);
    }

    File.Delete(root + ".lock");
}
