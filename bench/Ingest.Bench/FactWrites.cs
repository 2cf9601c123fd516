using System.Diagnostics;
using System.Globalization;
using Ingest.Core.Connectors;
using Ingest.Core.Facts;
using Ingest.Core.Indicators;
using Ingest.Data.Runs;
using Npgsql;

namespace Ingest.Bench;

/// <summary>
/// Fact writes: a region-sized night written through the production path (one unit per county and period: binary COPY
/// into staging, one upsert, history by trigger, checkpoint in the same transaction), first as new facts, then an
/// unchanged rerun, then a rerun with a tenth changed; then, on the same rows and units, the ceilings the production path
/// is measured against: binary COPY into an unindexed table, and COPY into staging followed by one INSERT … ON CONFLICT
/// into a table keyed like <c>fact</c>, both with the fact table's columns (and none of its other indexes, constraints or
/// triggers). Each figure is the median of three repetitions, each on periods of its own, after an uncounted warm-up.
/// </summary>
internal static class FactWrites
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<(double Production, double Staged, double Copy)> RunAsync(NpgsqlDataSource ds, int schools, int indicatorCount, int periodCount,
        int counties, int repetitions)
    {
        var indicators = IndicatorCatalogue.All.Take(indicatorCount).ToArray();
        var runs = new RunStore(ds, TimeProvider.System);
        var leases = new UnitLeaseStore(ds, TimeProvider.System);
        var outcomes = new UnitOutcomeStore(ds, TimeProvider.System);
        Console.WriteLine($"{schools:N0} schools in {counties} counties x {indicators.Length} indicators x {periodCount} periods = " +
            $"{(long)schools * indicators.Length * periodCount:N0} facts per night; {repetitions} repetitions, medians shown");
        var results = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        // A warm-up of each path on periods of its own, not counted: compiled code, a warm cache and table statistics,
        // as on every night after the first.
        await NightAsync(["2001"], null);
        await CeilingAsync(["2001"], keyed: true);
        for (var r = 0; r < repetitions; r++)
        {
            // Each repetition writes periods of its own, so that its first night writes new facts.
            string[] periods = [.. new[] { $"{2023 - 3 * r}", $"{2023 - 3 * r}-{2024 - 3 * r}", $"{2024 - 3 * r}-{2025 - 3 * r}" }.Take(periodCount)];
            Add("production, new facts", await NightAsync(periods, null));
            Add("production, unchanged", await NightAsync(periods, null));
            Add("production, 10% changed", await NightAsync(periods, 10));
            Add("ceiling: COPY", await CeilingAsync(periods, keyed: false));
            Add("ceiling: COPY+upsert", await CeilingAsync(periods, keyed: true));
        }

        foreach (var (label, rates) in results)
        {
            Console.WriteLine(string.Create(Inv, $"  {label,-26} {Median(rates),9:N0} rows/s   (runs: {string.Join(", ", rates.Select(x => x.ToString("N0", Inv)))})"));
        }

        var (production, staged, copy) = (Median(results["production, new facts"]), Median(results["ceiling: COPY+upsert"]), Median(results["ceiling: COPY"]));
        Console.WriteLine(string.Create(Inv,
            $"  the production path's first night at {100 * production / staged:F0}% of the staging-upsert ceiling ({100 * production / copy:F0}% of plain COPY); target 80%"));
        return (production, staged, copy);

        void Add(string label, double rate)
        {
            if (!results.TryGetValue(label, out var list))
            {
                results[label] = list = [];
            }

            list.Add(rate);
        }

        List<IndicatorFact> Facts(int c, string period, int? change)
        {
            var county = (640100 + c).ToString(Inv);
            var facts = new List<IndicatorFact>(schools / counties * indicators.Length);
            for (var s = c; s < schools; s += counties)
            {
                var org = county + s.ToString("D4", Inv);
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
        async Task<double> CeilingAsync(string[] periods, bool keyed)
        {
            var table = keyed ? "bench_keyed" : "bench_copy";
            await using (var create = ds.CreateCommand($"""
                DROP TABLE IF EXISTS {table};
                CREATE TABLE {table} (LIKE ingest.fact{(keyed ? ", PRIMARY KEY (org_code, indicator_code, period, source)" : string.Empty)})
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
                    await using var staging = new NpgsqlCommand("CREATE TEMP TABLE bench_staging (LIKE bench_keyed INCLUDING DEFAULTS) ON COMMIT DROP", connection, tx);
                    await staging.ExecuteNonQueryAsync();
                    target = "bench_staging";
                }

                await using (var copy = await connection.BeginBinaryImportAsync(
                    $"COPY {target} (org_code, indicator_code, period, source, value, numerator, denominator, unit, detail, run_id, fetched_at, last_seen_run_id, last_seen_at) FROM STDIN (FORMAT BINARY)"))
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
                        await copy.WriteNullAsync();
                        await copy.WriteAsync(1L);
                        await copy.WriteAsync(now, NpgsqlTypes.NpgsqlDbType.TimestampTz);
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
                            detail = excluded.detail, run_id = excluded.run_id, fetched_at = excluded.fetched_at,
                            last_seen_run_id = excluded.last_seen_run_id, last_seen_at = excluded.last_seen_at
                        """, connection, tx);
                    await upsert.ExecuteNonQueryAsync();
                }

                await tx.CommitAsync();
                total += facts.Count;
            }

            return total / clock.Elapsed.TotalSeconds;
        }

        async Task<double> NightAsync(string[] periods, int? change)
        {
            var runId = await runs.CreateRunAsync(new RunRequest("bench", null, periods, null, ["bench"], "bench"), CancellationToken.None);
            var clock = new Stopwatch();
            long total = 0;
            for (var c = 0; c < counties; c++)
            {
                var county = (640100 + c).ToString(Inv);
                foreach (var period in periods)
                {
                    var facts = Facts(c, period, change);
                    var unit = new UnitKey(runId, "bench", county, period);
                    // The lease is claimed before the upstream is read, not when the facts are written: it is not timed.
                    await leases.StartUnitAsync(unit, "bench", TimeSpan.FromMinutes(5), CancellationToken.None);
                    clock.Start();
                    var outcome = (await outcomes.CommitUnitAsync(unit, new CountyBatch(facts, [], []), "bench", CancellationToken.None))!;
                    clock.Stop();
                    total += outcome.FactsInserted + outcome.FactsUpdated + outcome.FactsUnchanged;
                }
            }

            return total / clock.Elapsed.TotalSeconds;
        }
    }

    public static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
