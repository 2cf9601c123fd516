using System.Text.Json.Serialization.Metadata;
using Ingest.Connectors.CloudPlatform.Api;
using Ingest.Connectors.Http;
using Ingest.Core.Connectors;
using Microsoft.Extensions.Options;

namespace Ingest.Connectors.CloudPlatform.Client;

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

