using Ingest.Data.Embedded;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Ingest.Data.Tests.Embedded;

public class EmbeddedPostgresClusterTests
{
    [Fact]
    public async Task StartAsync_SecondProcessOnTheSameFolder_AttachesAndOnlyTheStarterStopsIt()
    {
        var root = Path.Combine(Path.GetTempPath(), $"ingest-test-pg-{Environment.ProcessId}-attach{Guid.NewGuid().ToString("N")[..8]}");
        var options = new EmbeddedPostgresOptions { DataDirectory = root, Database = "demo" };
        try
        {
            var first = await EmbeddedPostgresCluster.StartAsync(options, root, NullLogger.Instance);
            var second = await EmbeddedPostgresCluster.StartAsync(options, root, NullLogger.Instance);

            first.StartedHere.ShouldBeTrue();
            second.StartedHere.ShouldBeFalse();
            second.Port.ShouldBe(first.Port);
            (await CanQueryAsync(second.ConnectionString)).ShouldBeTrue();

            await second.StopAsync();
            (await CanQueryAsync(first.ConnectionString)).ShouldBeTrue();

            await first.StopAsync();
            (await CanQueryAsync(first.ConnectionString)).ShouldBeFalse();
            File.Exists(Path.Combine(first.DataDirectory, "postmaster.pid")).ShouldBeFalse();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            File.Delete(root + ".lock");
        }
    }

    [Fact]
    public async Task StartAsync_ServerWhoseStarterIsGone_IsAdoptedAndStoppedByTheProcessThatFoundIt()
    {
        var root = Path.Combine(Path.GetTempPath(), $"ingest-test-pg-{Environment.ProcessId}-adopt{Guid.NewGuid().ToString("N")[..8]}");
        var options = new EmbeddedPostgresOptions { DataDirectory = root, Database = "demo" };
        try
        {
            var killed = await EmbeddedPostgresCluster.StartAsync(options, root, NullLogger.Instance);
            killed.StartedHere.ShouldBeTrue();

            // The starter is killed: its record names a process that has ended.
            using (var gone = System.Diagnostics.Process.Start("true")!)
            {
                await gone.WaitForExitAsync();
                await File.WriteAllTextAsync(Path.Combine(killed.RootDirectory, "starter"), $"{gone.Id} 638000000000000000");
            }

            var rerun = await EmbeddedPostgresCluster.StartAsync(options, root, NullLogger.Instance);
            rerun.StartedHere.ShouldBeTrue("nobody else would stop it");
            rerun.Port.ShouldBe(killed.Port);
            var attached = await EmbeddedPostgresCluster.StartAsync(options, root, NullLogger.Instance);
            attached.StartedHere.ShouldBeFalse("the adopter is alive");

            await attached.StopAsync();
            (await CanQueryAsync(rerun.ConnectionString)).ShouldBeTrue();
            await rerun.StopAsync();
            (await CanQueryAsync(rerun.ConnectionString)).ShouldBeFalse();
            File.Exists(Path.Combine(rerun.DataDirectory, "postmaster.pid")).ShouldBeFalse();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            File.Delete(root + ".lock");
        }
    }

    [Fact]
    public void Find_ConfiguredFolderWithoutServer_ReturnsNullSoTheCallerCanExplain()
    {
        PostgresBinaries.Find(Path.GetTempPath()).ShouldBeNull();
        PostgresBinaries.NotFoundMessage.ShouldContain("apt-get install postgresql");
        PostgresBinaries.NotFoundMessage.ShouldContain("ConnectionStrings:Ingest");
    }

    private static async Task<bool> CanQueryAsync(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await using var connection = new NpgsqlConnection(connectionString + ";Timeout=3");
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            return (int)(await command.ExecuteScalarAsync())! == 1;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }
}
