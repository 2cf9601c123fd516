using System.Runtime.CompilerServices;
using System.Text.Json;
using Ingest.Connectors.Http;
using System.Text.Json.Serialization.Metadata;
using Ingest.Connectors.CloudPlatform.Api;
using Ingest.Core.Connectors;
using Microsoft.Extensions.Options;

namespace Ingest.Connectors.CloudPlatform.Client;

/// <summary>What reading a listing to its end took.</summary>
/// <param name="Pages">Answers that carried rows or ended the listing (every attempt counted).</param>
/// <param name="RowsRead">Rows as the upstream sent them, repeats and restarted reads included.</param>
/// <param name="Kept">Rows kept, one per key.</param>
/// <param name="Restarts">Times the stream was read again from its beginning after its cursor expired.</param>
/// <param name="RowsWithoutKey">Rows dropped because they lacked their key field.</param>
public sealed record ListingCounts(int Pages, long RowsRead, long Kept, int Restarts, int RowsWithoutKey)
{
    /// <summary>Rows the upstream sent more than once (same key).</summary>
    public long Repeats => RowsRead - Kept - RowsWithoutKey;
}

/// <summary>A whole listing as read, held in memory: rows kept once per key (the later copy wins) and what it took.</summary>
public sealed record Listing<T>(IReadOnlyList<T> Rows, ListingCounts Counts);

/// <summary>
/// A listing as read into a spool: rows kept once per key (the later copy wins) outside the process, read back one at a
/// time. For listings that grow with teachers rather than schools.
/// </summary>
public sealed class SpooledListing<T>(IRowSpool spool, JsonTypeInfo<T> type, ListingCounts counts)
{
    public ListingCounts Counts => counts;

    /// <summary>The kept rows, one at a time, in no promised order.</summary>
    public async IAsyncEnumerable<T> RowsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var body in spool.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return JsonSerializer.Deserialize(body.Span, type)!;
        }
    }
}

/// <summary>Reads page-style and cursor-style listings to the end, de-duplicating by key.</summary>
public sealed class ListingReader(CloudPlatformClient client, IOptions<CloudPlatformOptions> options)
{
    /// <summary>Guards against a listing whose <c>total</c> keeps growing: no county has this many pages.</summary>
    private const int MaxPages = 100_000;

    /// <summary>Reads a page-style listing into memory (for listings of organisations: one row per school at most).</summary>
    public async Task<Listing<T>> ReadPagesAsync<T>(StreamScope scope,
        Func<string, int, int, Task<HttpResponseMessage>> fetch, JsonTypeInfo<Envelope<PageData<T>>> type,
        Func<T, string?> key, IIngestionContext context, CancellationToken cancellationToken)
    {
        var kept = new MemoryKept<T>(key);
        var counts = await PagesAsync(scope, fetch, type, kept, context, cancellationToken).ConfigureAwait(false);
        return new Listing<T>(kept.Rows, counts);
    }

    /// <summary>Reads a page-style listing into <paramref name="spool"/>, one page in memory at a time.</summary>
    public async Task<SpooledListing<T>> SpoolPagesAsync<T>(StreamScope scope,
        Func<string, int, int, Task<HttpResponseMessage>> fetch, JsonTypeInfo<Envelope<PageData<T>>> type,
        Func<T, string?> key, JsonTypeInfo<T> rowType, IRowSpool spool, IIngestionContext context, CancellationToken cancellationToken)
    {
        var counts = await PagesAsync(scope, fetch, type, new SpooledKept<T>(key, spool, rowType), context, cancellationToken).ConfigureAwait(false);
        return new SpooledListing<T>(spool, rowType, counts);
    }

    /// <summary>Reads a cursor-style listing into <paramref name="spool"/>, one page in memory at a time.</summary>
    public async Task<SpooledListing<T>> SpoolCursorAsync<T>(StreamScope scope,
        Func<string, string, int, Task<HttpResponseMessage>> fetch, JsonTypeInfo<Envelope<CursorData<T>>> type,
        Func<T, string?> key, JsonTypeInfo<T> rowType, IRowSpool spool, IIngestionContext context, CancellationToken cancellationToken)
    {
        var counts = await CursorAsync(scope, fetch, type, new SpooledKept<T>(key, spool, rowType), context, cancellationToken).ConfigureAwait(false);
        return new SpooledListing<T>(spool, rowType, counts);
    }

    /// <summary>A page-style listing: <c>pageNo</c> from 1 until <c>pageNo × pageSize ≥ total</c> or an empty page.</summary>
    private async Task<ListingCounts> PagesAsync<T>(StreamScope scope,
        Func<string, int, int, Task<HttpResponseMessage>> fetch, JsonTypeInfo<Envelope<PageData<T>>> type,
        KeptRows<T> kept, IIngestionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(context);
        var size = options.Value.PageSize;
        var sequence = new SequenceCounter();
        for (var pageNo = 1; pageNo <= MaxPages; pageNo++)
        {
            var page = pageNo;
            var data = await client.SendAsync(scope, sequence, auth => fetch(auth, page, size), type, context, cancellationToken).ConfigureAwait(false);
            var list = data.List ?? [];
            await kept.AddAsync(list, cancellationToken).ConfigureAwait(false);
            context.ReportProgress(scope.Stream, kept.Read);
            if (list.Count == 0 || (long)pageNo * size >= data.Total)
            {
                return await kept.CountsAsync(restarts: 0, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new ConnectorException($"{scope}: more than {MaxPages} pages; the listing's total keeps growing.");
    }

    /// <summary>
    /// A cursor-style listing until <c>hasMore</c> is false. An expired cursor (40401) restarts the stream from its
    /// beginning, dropping what was kept, up to <see cref="CloudPlatformOptions.CursorRestarts"/> times.
    /// </summary>
    private async Task<ListingCounts> CursorAsync<T>(StreamScope scope,
        Func<string, string, int, Task<HttpResponseMessage>> fetch, JsonTypeInfo<Envelope<CursorData<T>>> type,
        KeptRows<T> kept, IIngestionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(context);
        var limit = options.Value.CursorLimit;
        var sequence = new SequenceCounter();
        for (var restarts = 0; ; restarts++)
        {
            await kept.RestartAsync(cancellationToken).ConfigureAwait(false);
            var cursor = string.Empty;
            try
            {
                for (var page = 0; page < MaxPages; page++)
                {
                    var at = cursor;
                    var data = await client.SendAsync(scope, sequence, auth => fetch(auth, at, limit), type, context, cancellationToken).ConfigureAwait(false);
                    await kept.AddAsync(data.List ?? [], cancellationToken).ConfigureAwait(false);
                    context.ReportProgress(scope.Stream, kept.Read);
                    if (!data.HasMore)
                    {
                        return await kept.CountsAsync(restarts, cancellationToken).ConfigureAwait(false);
                    }

                    cursor = data.NextCursor is { Length: > 0 } next ? next
                        : throw new ConnectorException($"{scope}: hasMore is true but nextCursor is empty.");
                }

                throw new ConnectorException($"{scope}: more than {MaxPages} pages; the cursor never ends.");
            }
            catch (CursorExpiredException e) when (restarts < options.Value.CursorRestarts)
            {
                _ = e; // Read again from the beginning: rows kept so far may have moved since.
            }
            catch (CursorExpiredException e)
            {
                throw new ConnectorException($"{e.Message} The stream was restarted {restarts} times and its cursor expired again.", e);
            }
        }
    }
}

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
