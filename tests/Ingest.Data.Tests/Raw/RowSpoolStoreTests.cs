using System.Text;
using Ingest.Core.Connectors;
using Ingest.Data.Raw;
using Ingest.Testing;
using Npgsql;

namespace Ingest.Data.Tests.Raw;

public class RowSpoolStoreTests
{
    private static SpooledRow Row(string key, string body) => new(key, Encoding.UTF8.GetBytes(body));

    private static async Task<string[]> BodiesAsync(IRowSpool spool)
    {
        var bodies = new List<string>();
        await foreach (var body in spool.ReadAsync(CancellationToken.None))
        {
            bodies.Add(Encoding.UTF8.GetString(body.Span));
        }

        return [.. bodies.Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task ASpool_KeepsEachKeyOnce_TheLaterCopyWithinAPart_AndTheHighestPartAcrossParts()
    {
        await using var ds = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync());
        var store = new RowSpoolStore(ds);
        await using var spool = await store.OpenAsync(7, "cloud", "teacher-activity", CancellationToken.None);

        // Part 1: a key repeated within a page and across pages keeps its last copy.
        await spool.AddAsync(1, [Row("a", "a1"), Row("b", "b1"), Row("a", "a2")], CancellationToken.None);
        await spool.AddAsync(1, [Row("b", "b2"), Row("c", "c1")], CancellationToken.None);
        // Part 2 (a window read again): its copy of "c" replaces part 1's; "d" is new.
        await spool.AddAsync(2, [Row("c", "c2"), Row("d", "d1")], CancellationToken.None);

        (await spool.CountAsync(1, CancellationToken.None)).ShouldBe(3);
        (await spool.CountAsync(2, CancellationToken.None)).ShouldBe(2);
        (await spool.CountAsync(null, CancellationToken.None)).ShouldBe(4);
        (await BodiesAsync(spool)).ShouldBe(["a2", "b2", "c2", "d1"]);

        // A part that proved inconsistent is dropped: part 1's copy of "c" is the one left.
        await spool.DropAsync(2, CancellationToken.None);
        (await BodiesAsync(spool)).ShouldBe(["a2", "b2", "c1"]);

        // A stream read again from its start drops everything.
        await spool.DropAsync(null, CancellationToken.None);
        (await spool.CountAsync(null, CancellationToken.None)).ShouldBe(0);
    }

    [Fact]
    public async Task Spools_AreIsolated_AndLeaveNothingBehindWhenDisposed()
    {
        await using var ds = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync());
        var store = new RowSpoolStore(ds);
        var first = await store.OpenAsync(7, "cloud", "teacher-activity", CancellationToken.None);
        await using var second = await store.OpenAsync(7, "cloud", "teacher-activity", CancellationToken.None);
        await first.AddAsync(0, [Row("a", "first")], CancellationToken.None);
        await second.AddAsync(0, [Row("a", "second")], CancellationToken.None);

        (await BodiesAsync(first)).ShouldBe(["first"]);
        (await BodiesAsync(second)).ShouldBe(["second"]);
        (await store.OpenCountAsync(CancellationToken.None)).ShouldBe(2);

        await first.DisposeAsync();

        (await store.OpenCountAsync(CancellationToken.None)).ShouldBe(1);
        await using var rows = ds.CreateCommand("SELECT count(*) FROM ingest.row_spool");
        ((long)(await rows.ExecuteScalarAsync())!).ShouldBe(1);
    }

    [Fact]
    public async Task PruneAsync_DropsSpoolsOpenedBeforeTheCut_AndKeepsTheOthers()
    {
        await using var ds = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync());
        var store = new RowSpoolStore(ds);
        var abandoned = await store.OpenAsync(7, "progress", "sessions", CancellationToken.None);
        await abandoned.AddAsync(0, [Row("1", "x"), Row("2", "y")], CancellationToken.None);
        await using var live = await store.OpenAsync(8, "progress", "sessions", CancellationToken.None);
        await live.AddAsync(0, [Row("1", "z")], CancellationToken.None);
        await using (var age = ds.CreateCommand("UPDATE ingest.row_spool_owner SET opened_at = now() - interval '2 days' WHERE run_id = 7"))
        {
            await age.ExecuteNonQueryAsync();
        }

        (await store.PruneAsync(TimeProvider.System.GetUtcNow().AddDays(-1), CancellationToken.None)).ShouldBe(2);

        (await store.OpenCountAsync(CancellationToken.None)).ShouldBe(1);
        (await BodiesAsync(live)).ShouldBe(["z"]);
    }
}
