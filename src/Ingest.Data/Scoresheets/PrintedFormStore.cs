using Npgsql;

namespace Ingest.Data.Scoresheets;

/// <summary>
/// Printed forms kept by the SHA-256 of what was printed: every host finds a printout any host made, and a printout
/// past <see cref="KeepFor"/> is dropped when a new one is kept.
/// </summary>
public sealed class PrintedFormStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>How long a printout is kept after it was made.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(30);

    /// <summary>The printout of <paramref name="digest"/>, or null when none is kept.</summary>
    public async Task<byte[]?> FindAsync(byte[] digest, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT pdf FROM ingest.printed_form WHERE digest = $1");
        command.Parameters.AddWithValue(digest);
        return await command.ExecuteScalarAsync(ct) as byte[];
    }

    /// <summary>Keeps a printout (a second host printing the same form at once keeps the first one).</summary>
    public async Task KeepAsync(byte[] digest, byte[] pdf, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var batch = dataSource.CreateBatch();
        var keep = new NpgsqlBatchCommand("INSERT INTO ingest.printed_form (digest, pdf, printed_at) VALUES ($1, $2, $3) ON CONFLICT (digest) DO NOTHING");
        keep.Parameters.AddWithValue(digest);
        keep.Parameters.AddWithValue(pdf);
        keep.Parameters.AddWithValue(now);
        var prune = new NpgsqlBatchCommand("DELETE FROM ingest.printed_form WHERE printed_at < $1");
        prune.Parameters.AddWithValue(now - KeepFor);
        batch.BatchCommands.Add(keep);
        batch.BatchCommands.Add(prune);
        await batch.ExecuteNonQueryAsync(ct);
    }
}
