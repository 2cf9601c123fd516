using Ingest.Connectors.Http;
using System.Text.Json.Serialization.Metadata;
using Ingest.Connectors.CloudPlatform.Api;
using Ingest.Core.Connectors;
using Microsoft.Extensions.Options;

namespace Ingest.Connectors.CloudPlatform.Client;

/// <summary>A whole listing as read: rows kept once per key (the later copy wins) and what it took.</summary>
/// <param name="Rows">Rows kept, one per key.</param>
/// <param name="Pages">Answers that carried rows or ended the listing (every attempt counted).</param>
/// <param name="RowsRead">Rows as the upstream sent them, repeats and restarted reads included.</param>
/// <param name="Restarts">Times the stream was read again from its beginning after its cursor expired.</param>
/// <param name="RowsWithoutKey">Rows dropped because they lacked their key field.</param>
public sealed record Listing<T>(IReadOnlyList<T> Rows, int Pages, long RowsRead, int Restarts, int RowsWithoutKey)
{
    /// <summary>Rows the upstream sent more than once (same key).</summary>
    public long Repeats => RowsRead - Rows.Count - RowsWithoutKey;
}

/// <summary>Reads page-style and cursor-style listings to the end, de-duplicating by key.</summary>
public sealed class ListingReader(CloudPlatformClient client, IOptions<CloudPlatformOptions> options)
{
    /// <summary>Guards against a listing whose <c>total</c> keeps growing: no county has this many pages.</summary>
    private const int MaxPages = 100_000;

    /// <summary>Reads a page-style listing: <c>pageNo</c> from 1 until <c>pageNo × pageSize ≥ total</c> or an empty page.</summary>
    public async Task<Listing<T>> ReadPagesAsync<T>(StreamScope scope,
        Func<string, int, int, Task<HttpResponseMessage>> fetch, JsonTypeInfo<Envelope<PageData<T>>> type,
        Func<T, string?> key, IIngestionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(context);
        var size = options.Value.PageSize;
        var sequence = new SequenceCounter();
        var kept = new KeptRows<T>(key);
        for (var pageNo = 1; pageNo <= MaxPages; pageNo++)
        {
            var page = pageNo;
            var data = await client.SendAsync(scope, sequence, auth => fetch(auth, page, size), type, context, cancellationToken).ConfigureAwait(false);
            var list = data.List ?? [];
            kept.Add(list);
            context.ReportProgress(scope.Stream, kept.Read);
            if (list.Count == 0 || (long)pageNo * size >= data.Total)
            {
                return kept.ToListing(restarts: 0);
            }
        }

        throw new ConnectorException($"{scope}: more than {MaxPages} pages; the listing's total keeps growing.");
    }

    /// <summary>
    /// Reads a cursor-style listing until <c>hasMore</c> is false. An expired cursor (40401) restarts the
    /// stream from its beginning, dropping what was kept, up to <see cref="CloudPlatformOptions.CursorRestarts"/> times.
    /// </summary>
    public async Task<Listing<T>> ReadCursorAsync<T>(StreamScope scope,
        Func<string, string, int, Task<HttpResponseMessage>> fetch, JsonTypeInfo<Envelope<CursorData<T>>> type,
        Func<T, string?> key, IIngestionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(context);
        var limit = options.Value.CursorLimit;
        var sequence = new SequenceCounter();
        var kept = new KeptRows<T>(key);
        for (var restarts = 0; ; restarts++)
        {
            kept.Restart();
            var cursor = string.Empty;
            try
            {
                for (var page = 0; page < MaxPages; page++)
                {
                    var at = cursor;
                    var data = await client.SendAsync(scope, sequence, auth => fetch(auth, at, limit), type, context, cancellationToken).ConfigureAwait(false);
                    kept.Add(data.List ?? []);
                    context.ReportProgress(scope.Stream, kept.Read);
                    if (!data.HasMore)
                    {
                        return kept.ToListing(restarts);
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
internal sealed class KeptRows<T>(Func<T, string?> key)
{
    private readonly Dictionary<string, T> rows = new(StringComparer.Ordinal);
    private int pages;
    private int withoutKey;

    /// <summary>Rows read so far, restarted reads included.</summary>
    public long Read { get; private set; }

    public void Add(IReadOnlyList<T> page)
    {
        pages++;
        foreach (var row in page)
        {
            Read++;
            if (key(row) is { Length: > 0 } k)
            {
                rows[k] = row;
            }
            else
            {
                withoutKey++;
            }
        }
    }

    /// <summary>The stream is read again from its beginning: what was kept may have moved since.</summary>
    public void Restart()
    {
        rows.Clear();
        withoutKey = 0;
    }

    public Listing<T> ToListing(int restarts) => new([.. rows.Values], pages, Read, restarts, withoutKey);
}
