using System.Text;
using Ingest.Core.Connectors;
using Ingest.Data.Raw;
using Ingest.Data.Runs;
using Ingest.Testing;
using Npgsql;

namespace Ingest.Data.Tests.Raw;

public class RawArchiveTests
{
    [Fact]
    public async Task ReadAsync_PagesOfAStream_ComeBackByteForByteInOrder()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        await using var ds = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync());
        var runId = await new RunStore(ds, TimeProvider.System).CreateRunAsync(
            new RunRequest("cli", null, ["2024-06-30"], ["640424"], ["progress"], "test"), CancellationToken.None);
        var archive = new RawArchive(ds);
        // The export is GB18030, not UTF-8: the archive must keep the bytes, not a decoded string.
        var csv = Encoding.GetEncoding("GB18030").GetBytes("学校标识码,学校名称\n2164012345,泾源县城关第一小学\n合计,,\n");
        var at = new DateTimeOffset(2024, 7, 1, 2, 0, 0, TimeSpan.FromHours(8));

        await archive.AppendAsync(runId, "progress", new RawPage("export", "640424", "2024-06-30", 1, "GET /b", 200, "text/csv", csv, at), CancellationToken.None);
        await archive.AppendAsync(runId, "progress", new RawPage("export", "640424", "2024-06-30", 0, "GET /a", 404, null, Array.Empty<byte>(), at), CancellationToken.None);
        await archive.AppendAsync(runId, "progress", new RawPage("export", "640425", "2024-06-30", 0, "GET /c", 200, "text/csv", csv, at), CancellationToken.None);

        var pages = await archive.ReadAsync(runId, "progress", "export", "640424", "2024-06-30", CancellationToken.None);

        pages.Select(p => p.Request).ShouldBe(["GET /a", "GET /b"]);
        pages[1].Body.ToArray().ShouldBe(csv);
        pages[1].FetchedAt.ShouldBe(at);
        pages[0].HttpStatus.ShouldBe(404);
    }

    [Fact]
    public async Task PruneAsync_RemovesPagesOlderThanTheCutInBatchesAndKeepsTheRestAndTheFactHistory()
    {
        await using var ds = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync());
        var runId = await new RunStore(ds, TimeProvider.System).CreateRunAsync(
            new RunRequest("cli", null, ["2024"], ["640424"], ["cloud"], "test"), CancellationToken.None);
        var archive = new RawArchive(ds);
        var cut = new DateTimeOffset(2025, 11, 30, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 7; i++)
        {
            // Five pages a year and more old, two younger than the cut.
            var at = i < 5 ? cut.AddDays(-400 + i) : cut.AddDays(i);
            await archive.AppendAsync(runId, "cloud", new RawPage("teacher-activity", "640424", "2024", i, $"GET /p{i}", 200, "application/json", "{}"u8.ToArray(), at),
                CancellationToken.None);
        }

        await using (var history = ds.CreateCommand("""
            INSERT INTO ingest.fact_history (org_code, indicator_code, period, source, value, run_id, fetched_at, superseded_at, superseded_by_run_id)
            VALUES ('640424', 'cloud.app_index', '2024', 'cloud', 1, 1, '2024-01-01', '2024-02-01', 1)
            """))
        {
            await history.ExecuteNonQueryAsync();
        }

        (await archive.PruneAsync(cut, batchSize: 2, CancellationToken.None)).ShouldBe(5);

        var left = await archive.ReadAsync(runId, "cloud", "teacher-activity", "640424", "2024", CancellationToken.None);
        left.Select(p => p.Request).ShouldBe(["GET /p5", "GET /p6"]);
        (await ds.ScalarAsync<long>("SELECT count(*) FROM ingest.fact_history")).ShouldBe(1);
        (await archive.PruneAsync(cut, batchSize: 2, CancellationToken.None)).ShouldBe(0);
    }
}
