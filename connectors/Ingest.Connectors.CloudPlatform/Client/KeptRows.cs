using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Ingest.Core.Connectors;

namespace Ingest.Connectors.CloudPlatform.Client;

/// <summary>
/// Rows kept once per key, the later copy replacing the earlier; counts every row and page read, across restarts.
/// </summary>
internal abstract class KeptRows<T>(Func<T, string?> key)
{
    private int pages;
    private int withoutKey;

    /// <summary>Rows read so far, restarted reads included.</summary>
    public long Read { get; private set; }

    public async Task AddAsync(IReadOnlyList<T> page, CancellationToken cancellationToken)
    {
        pages++;
        var keyed = new List<(string Key, T Row)>(page.Count);
        foreach (var row in page)
        {
            Read++;
            if (key(row) is { Length: > 0 } k)
            {
                keyed.Add((k, row));
            }
            else
            {
                withoutKey++;
            }
        }

        await KeepAsync(keyed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stream is read again from its beginning: what was kept may have moved since.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        withoutKey = 0;
        await DropAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ListingCounts> CountsAsync(int restarts, CancellationToken cancellationToken) =>
        new(pages, Read, await KeptAsync(cancellationToken).ConfigureAwait(false), restarts, withoutKey);

    protected abstract Task KeepAsync(List<(string Key, T Row)> rows, CancellationToken cancellationToken);

    protected abstract Task DropAsync(CancellationToken cancellationToken);

    protected abstract Task<long> KeptAsync(CancellationToken cancellationToken);
}

internal sealed class MemoryKept<T>(Func<T, string?> key) : KeptRows<T>(key)
{
    private readonly Dictionary<string, T> rows = new(StringComparer.Ordinal);

    public IReadOnlyList<T> Rows => [.. rows.Values];

    protected override Task KeepAsync(List<(string Key, T Row)> page, CancellationToken cancellationToken)
    {
        foreach (var (k, row) in page)
        {
            rows[k] = row;
        }

        return Task.CompletedTask;
    }

    protected override Task DropAsync(CancellationToken cancellationToken)
    {
        rows.Clear();
        return Task.CompletedTask;
    }

    protected override Task<long> KeptAsync(CancellationToken cancellationToken) => Task.FromResult((long)rows.Count);
}

internal sealed class SpooledKept<T>(Func<T, string?> key, IRowSpool spool, JsonTypeInfo<T> type) : KeptRows<T>(key)
{
    protected override Task KeepAsync(List<(string Key, T Row)> page, CancellationToken cancellationToken) =>
        spool.AddAsync(0, [.. page.Select(r => new SpooledRow(r.Key, JsonSerializer.SerializeToUtf8Bytes(r.Row, type)))], cancellationToken);

    protected override Task DropAsync(CancellationToken cancellationToken) => spool.DropAsync(null, cancellationToken);

    protected override Task<long> KeptAsync(CancellationToken cancellationToken) => spool.CountAsync(null, cancellationToken);
}
