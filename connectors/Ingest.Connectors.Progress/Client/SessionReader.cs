using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Ingest.Connectors.Http;
using Ingest.Connectors.Progress.Api;
using Ingest.Core.Connectors;
using Microsoft.Extensions.Options;

namespace Ingest.Connectors.Progress.Client;

/// <summary>
/// Pages through the live session listing so that the result is exact. The listing is ordered by start descending
/// and shifts while it is paged (sessions recorded meanwhile push rows onto later pages, and a client can see an id
/// twice or miss one). A window is consistent when every page gave the same <c>totalElements</c> and the distinct
/// ids number exactly that; a window that is not is read again as two half windows, down to single days, which
/// are read again as they are, until every window is consistent or <see cref="ProgressOptions.SessionWindowReads"/>
/// reads are spent. Each window read is a part of the spool: one that proves inconsistent is dropped, and a window read
/// again replaces the copies its earlier read kept. Only a page is held in memory.
/// </summary>
public sealed class SessionReader(ProgressClient client, IOptions<ProgressOptions> options)
{
    /// <summary>The sessions kept in a spool, one at a time, in no promised order.</summary>
    public static async IAsyncEnumerable<SessionDto> SessionsAsync(IRowSpool spool, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spool);
        await foreach (var body in spool.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return JsonSerializer.Deserialize(body.Span, ProgressJsonContext.Default.SessionDto)!;
        }
    }

    public async Task<SessionListing> ReadAsync(IProgressApi api, StreamScope scope, DateOnly first, DateOnly last, IRowSpool spool,
        IIngestionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(spool);
        ArgumentNullException.ThrowIfNull(context);
        var o = options.Value;
        var sequence = new SequenceCounter();
        var pending = new Queue<(DateOnly First, DateOnly Last)>();
        pending.Enqueue((first, last));
        var (reads, pages, rowsRead, shifted, split, recounts) = (0, 0, 0L, 0, 0, 0);
        var shifts = new List<string>();
        var done = new List<(DateOnly First, DateOnly Last, long Count)>();
        while (true)
        {
            while (pending.TryDequeue(out var window))
            {
                if (reads == o.SessionWindowReads)
                {
                    throw new ConnectorException(string.Create(CultureInfo.InvariantCulture,
                        $"{scope}: the session listing kept shifting while it was paged; {reads} window reads (Connectors:Progress:SessionWindowReads) left {pending.Count + 1} windows unread, from {window.First:yyyy-MM-dd} to {window.Last:yyyy-MM-dd}. Shifts seen: {string.Join("; ", shifts.Take(5))}"));
                }

                reads++;
                var read = await ReadWindowAsync(api, scope, sequence, window.First, window.Last, spool, reads, context, cancellationToken).ConfigureAwait(false);
                pages += read.Pages;
                rowsRead += read.RowsRead;
                context.ReportProgress(scope.Stream, rowsRead);
                if (read.Consistent)
                {
                    done.Add((window.First, window.Last, read.Distinct));
                    continue;
                }

                await spool.DropAsync(reads, cancellationToken).ConfigureAwait(false);
                shifted++;
                shifts.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{window.First:yyyy-MM-dd}–{window.Last:yyyy-MM-dd}: totalElements {string.Join("→", read.Totals.Distinct())}, {read.Distinct} distinct ids over {read.Pages} pages, {read.RowsRead - read.Distinct} seen twice"));
                if (window.First < window.Last)
                {
                    var middle = window.First.AddDays((window.Last.DayNumber - window.First.DayNumber) / 2);
                    pending.Enqueue((window.First, middle));
                    pending.Enqueue((middle.AddDays(1), window.Last));
                    split++;
                }
                else
                {
                    pending.Enqueue(window); // a single day cannot be narrowed: read it again
                }
            }

            if (shifted == 0 || done.Count == 1)
            {
                break; // one consistent read of the whole range, or of the last window: nothing was read before it
            }

            // Sessions recorded while later windows were read may belong to windows read earlier: count every window
            // again (one row each) and read again those whose count moved.
            recounts++;
            var total = await CountAsync(api, scope, sequence, first, last, context, cancellationToken).ConfigureAwait(false);
            pages++;
            if (total == await spool.CountAsync(null, cancellationToken).ConfigureAwait(false))
            {
                break;
            }

            foreach (var w in done.ToArray())
            {
                var now = await CountAsync(api, scope, sequence, w.First, w.Last, context, cancellationToken).ConfigureAwait(false);
                pages++;
                if (now != w.Count)
                {
                    done.Remove(w);
                    pending.Enqueue((w.First, w.Last));
                }
            }

            if (pending.Count == 0)
            {
                var added = await spool.CountAsync(null, cancellationToken).ConfigureAwait(false);
                throw new ConnectorException(string.Create(CultureInfo.InvariantCulture,
                    $"{scope}: the listing counts {total} sessions from {first:yyyy-MM-dd} to {last:yyyy-MM-dd} but its windows add up to {added}."));
            }
        }

        var kept = await spool.CountAsync(null, cancellationToken).ConfigureAwait(false);
        var note = shifted == 0 ? null : string.Create(CultureInfo.InvariantCulture,
            $"the listing shifted while paged in {shifted} window reads ({string.Join("; ", shifts.Take(3))}{(shifts.Count > 3 ? "; …" : string.Empty)}); read again in narrower windows ({split} splits, {reads} window reads, {recounts} recounts) until each was consistent: {kept} sessions");
        return new SessionListing(kept, pages, rowsRead, reads, note);
    }

    /// <summary>How many sessions the listing holds now between two dates: one request for one row.</summary>
    private async Task<long> CountAsync(IProgressApi api, StreamScope scope, SequenceCounter sequence, DateOnly first, DateOnly last,
        IIngestionContext context, CancellationToken cancellationToken)
    {
        var (from, to) = (first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var answer = await client.GetAsync(scope, sequence, () => api.SessionsAsync(scope.CountyCode!, from, to, 0, 1, cancellationToken), context, cancellationToken)
            .ConfigureAwait(false);
        return ProgressClient.Parse(scope, answer, ProgressJsonContext.Default.SessionPageDto).TotalElements;
    }

    /// <summary>Reads one window page by page into the spool's part <paramref name="part"/>, the later copy of an id winning.</summary>
    private async Task<WindowRead> ReadWindowAsync(IProgressApi api, StreamScope scope, SequenceCounter sequence, DateOnly first, DateOnly last,
        IRowSpool spool, int part, IIngestionContext context, CancellationToken cancellationToken)
    {
        var size = options.Value.SessionsPageSize;
        var (from, to) = (first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var totals = new List<long>();
        var (pages, rowsRead) = (0, 0L);
        for (var page = 0; ; page++)
        {
            var number = page;
            var answer = await client.GetAsync(scope, sequence, () => api.SessionsAsync(scope.CountyCode!, from, to, number, size, cancellationToken),
                context, cancellationToken).ConfigureAwait(false);
            var data = ProgressClient.Parse(scope, answer, ProgressJsonContext.Default.SessionPageDto);
            pages++;
            totals.Add(data.TotalElements);
            var content = data.Content ?? [];
            rowsRead += content.Count;
            await spool.AddAsync(part, [.. content.Select(s => new SpooledRow(s.Id.ToString(CultureInfo.InvariantCulture),
                JsonSerializer.SerializeToUtf8Bytes(s, ProgressJsonContext.Default.SessionDto)))], cancellationToken).ConfigureAwait(false);

            // The last page by the answer's own account; a listing that keeps growing cannot hold the reader for ever.
            if (data.Last || data.Content is not { Count: > 0 } || page + 1 >= data.TotalPages || page > 10_000)
            {
                break;
            }
        }

        var distinct = await spool.CountAsync(part, cancellationToken).ConfigureAwait(false);
        var consistent = totals.Distinct().Count() == 1 && distinct == totals[0];
        return new WindowRead(distinct, totals, pages, rowsRead, consistent);
    }

    private sealed record WindowRead(long Distinct, List<long> Totals, int Pages, long RowsRead, bool Consistent);
}
