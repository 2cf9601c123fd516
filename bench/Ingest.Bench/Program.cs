// The speed of Ingest, in one run, side by side (bench/README.md; results in bench/RESULTS.md):
//   1. the fixtures' region ingested through both fakes over HTTP with the production throttles, as one night of the
//      default schedule's cycles: wall time, pages made and needed, the request floor; then every sheet scored;
//   2. fact writes per second on the production path and, on the same rows in the same run, its ceilings;
//   3. sheets scored per second for a national shape (facts generated directly), with the heap held at once;
//   4. the service's live heap for one county's night as its teachers grow tenfold and thirtyfold (fakes out of process);
//   5. the pages under the deadline week's load: BENCH_USERS (200) people signed in at once over HTTP, p50/p95 per page, and
//      the 认定表 PDF printed first and again.
// Usage: dotnet run -c Release --project bench/Ingest.Bench -- [sections=night,writes,national,memory,pages] [national schools=211000]
// BENCH_PG_OPTIONS adds server options (e.g. auto_explain); BENCH_SQL runs SQL in the fact-write database after migrating
// (an experiment: drop an index, a constraint); BENCH_KEEP=1 keeps the cluster folder and its log.
using System.Globalization;
using Ingest.Bench;
using Ingest.Data.Embedded;
using Ingest.Data.Schema;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

var inv = CultureInfo.InvariantCulture;
var sections = (args.Length > 0 ? args[0] : "night,writes,national,memory,pages").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
var nationalSchools = args.Length > 1 ? int.Parse(args[1], inv) : 211_000;
Environment.SetEnvironmentVariable("ASPNETCORE_ENVIRONMENT", "Development");

var root = Path.Combine(Path.GetTempPath(), "ingest-bench-pg-" + Environment.ProcessId);
await using var cluster = await EmbeddedPostgresCluster.StartAsync(new EmbeddedPostgresOptions { DataDirectory = root }, root, NullLogger.Instance,
    Environment.GetEnvironmentVariable("BENCH_PG_OPTIONS"));
Console.WriteLine($"Ingest benchmark, {TimeProvider.System.GetLocalNow():yyyy-MM-dd HH:mm zzz}: {Environment.ProcessorCount} cores, .NET {Environment.Version}, PostgreSQL on 127.0.0.1:{cluster.Port} (default durability)");
try
{
    ScoringFigures? region = null, national = null;
    if (sections.Contains("night"))
    {
        var parallelism = int.Parse(Environment.GetEnvironmentVariable("BENCH_PARALLELISM") ?? "4", inv);
        region = await Shapes.RegionNightAsync(await DatabaseAsync("bench_night"), parallelism);
    }

    if (sections.Contains("writes"))
    {
        await using var ds = NpgsqlDataSource.Create(await DatabaseAsync("bench_writes"));
        await new DatabaseMigrator(ds, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        if (Environment.GetEnvironmentVariable("BENCH_SQL") is { } sql)
        {
            await using var x = ds.CreateCommand(sql);
            await x.ExecuteNonQueryAsync();
        }

        Console.WriteLine("Fact writes:");
        await FactWrites.RunAsync(ds, schools: 2000, indicatorCount: 25, periodCount: 3, counties: 22, repetitions: 3);
    }

    if (sections.Contains("memory"))
    {
        await ConnectorMemory.RunAsync(DatabaseAsync, [44, 440, 1320]);
    }

    if (sections.Contains("national"))
    {
        national = await Shapes.NationalAsync(await DatabaseAsync("bench_national"), nationalSchools);
    }

    if (sections.Contains("pages"))
    {
        var users = int.Parse(Environment.GetEnvironmentVariable("BENCH_USERS") ?? "200", inv);
        var seconds = TimeSpan.FromSeconds(int.Parse(Environment.GetEnvironmentVariable("BENCH_SECONDS") ?? "90", inv));
        var think = (Environment.GetEnvironmentVariable("BENCH_THINK") ?? "3-10").Split('-') is [var lo, var hi]
            ? (double.Parse(lo, inv), double.Parse(hi, inv)) : throw new FormatException("BENCH_THINK: seconds from-to, e.g. 3-10");
        await PageLoad.RunAsync(await DatabaseAsync("bench_pages"), EmbeddedPostgresCluster.ApplicationRole, users, seconds, think);
    }

    if (region is not null && national is not null)
    {
        Console.WriteLine(string.Create(inv,
            $"Re-score with nothing new: region {region.Seconds:F2} s (target < 1 s), national {national.Seconds:F1} s (target < 120 s); peak heap national ÷ region {national.PeakMiB / region.PeakMiB:F2} (target ≤ 1.5)"));
    }

    Console.WriteLine(string.Create(inv, $"Process peak working set {PeakMemory.ProcessPeakMiB:F0} MiB"));
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

// A database of its own for each section, on the one cluster.
async Task<string> DatabaseAsync(string name)
{
    await using (var admin = NpgsqlDataSource.Create(cluster.ConnectionString))
    {
        await using var create = admin.CreateCommand($"CREATE DATABASE {name}");
        await create.ExecuteNonQueryAsync();
    }

    return new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = name }.ConnectionString;
}
