using System.Runtime.CompilerServices;

namespace Ingest.Core.Connectors;

/// <summary>
/// The rows of one listing kept once per key outside the connector's memory while the listing is read, so that a county
/// of any size is normalised holding one page at a time. Rows are added page by page under a <em>part</em> (one read of
/// the listing or of a window of it): within a part the later copy of a key replaces the earlier; across parts the copy
/// of the highest part is the one read back.
/// </summary>
public interface IRowSpool : IAsyncDisposable
{
    /// <summary>Adds one page's rows to <paramref name="part"/>; a key repeated within the page keeps its last copy.</summary>
    Task AddAsync(int part, IReadOnlyList<SpooledRow> rows, CancellationToken cancellationToken);

    /// <summary>Distinct keys kept in <paramref name="part"/>, or over every part when it is null.</summary>
    Task<long> CountAsync(int? part, CancellationToken cancellationToken);

    /// <summary>Drops the rows of <paramref name="part"/>, or every row when it is null (a listing read again from its start).</summary>
    Task DropAsync(int? part, CancellationToken cancellationToken);

    /// <summary>Every key once, with its copy from the highest part holding it, in no promised order.</summary>
    IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(CancellationToken cancellationToken);
}

/// <summary>One row of a listing as spooled: its key and its serialised body.</summary>
public readonly record struct SpooledRow(string Key, ReadOnlyMemory<byte> Body);

/// <summary>A spool held in memory: for a connector run without a host (its own tests, a tool), where the listings are small.</summary>
public sealed class MemoryRowSpool : IRowSpool
{
    private readonly SortedDictionary<int, Dictionary<string, byte[]>> parts = [];

    public Task AddAsync(int part, IReadOnlyList<SpooledRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (!parts.TryGetValue(part, out var kept))
        {
            parts[part] = kept = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        }

        foreach (var row in rows)
        {
            kept[row.Key] = row.Body.ToArray();
        }

        return Task.CompletedTask;
    }

    public Task<long> CountAsync(int? part, CancellationToken cancellationToken) => Task.FromResult(part is { } p
        ? parts.GetValueOrDefault(p)?.Count ?? 0L
        : parts.Values.SelectMany(k => k.Keys).Distinct(StringComparer.Ordinal).LongCount());

    public Task DropAsync(int? part, CancellationToken cancellationToken)
    {
        if (part is { } p)
        {
            parts.Remove(p);
        }
        else
        {
            parts.Clear();
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var latest = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var kept in parts.Values)
        {
            foreach (var (key, body) in kept)
            {
                latest[key] = body;
            }
        }

        foreach (var key in latest.Keys.Order(StringComparer.Ordinal).Reverse())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return latest[key];
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        parts.Clear();
        return ValueTask.CompletedTask;
    }
}
