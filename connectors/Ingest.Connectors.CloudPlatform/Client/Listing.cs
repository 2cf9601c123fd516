using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Ingest.Core.Connectors;

namespace Ingest.Connectors.CloudPlatform.Client;

/// <summary>A whole listing as read, held in memory: rows kept once per key (the later copy wins) and what it took.</summary>
public sealed record Listing<T>(IReadOnlyList<T> Rows, ListingCounts Counts);

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
