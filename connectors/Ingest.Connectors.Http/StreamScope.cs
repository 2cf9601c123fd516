namespace Ingest.Connectors.Http;

/// <summary>Where a call belongs, for the raw archive and for messages: stream, county and period.</summary>
/// <param name="Stream">Stream name (<c>teacher-activity</c>, <c>sessions</c> …).</param>
/// <param name="CountyCode">County read, or null for a region-wide listing.</param>
/// <param name="Period">Period read, or null.</param>
public sealed record StreamScope(string Stream, string? CountyCode, string? Period)
{
    public override string ToString() => CountyCode is null ? Stream : $"{Stream} of county {CountyCode}" + (Period is null ? string.Empty : $" for {Period}");
}

/// <summary>Numbers the answers of one stream read; a restarted stream continues the count.</summary>
public sealed class SequenceCounter
{
    private int next;

    public int Next() => Interlocked.Increment(ref next) - 1;

    /// <summary>Answers numbered so far.</summary>
    public int Count => Volatile.Read(ref next);
}
