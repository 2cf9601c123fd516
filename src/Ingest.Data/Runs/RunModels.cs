namespace Ingest.Data.Runs;

/// <summary>What a new run covers.</summary>
/// <param name="Trigger">schedule, cli or api.</param>
/// <param name="Cycle">The evaluation cycle (<c>county:2024</c>), or null for an explicit period.</param>
/// <param name="Periods">Period codes the run reads.</param>
/// <param name="Counties">Counties named, or null for every county of the region.</param>
/// <param name="Connectors">Connector names.</param>
/// <param name="Host">Machine that started it.</param>
/// <param name="DedupeKey">When set, a second request with the same key returns the first run instead of a new one.</param>
public sealed record RunRequest(
    string Trigger,
    string? Cycle,
    IReadOnlyList<string> Periods,
    IReadOnlyList<string>? Counties,
    IReadOnlyList<string> Connectors,
    string Host,
    string? DedupeKey = null,
    bool Backfill = false,
    string? Runner = null);

/// <summary>A unit of a run: a connector's streams for one county and period.</summary>
public sealed record UnitKey(long RunId, string Connector, string CountyCode, string Period)
{
    public override string ToString() => $"run {RunId} {Connector}/{CountyCode}/{Period}";
}

/// <summary>A unit that failed or was interrupted, and why.</summary>
public sealed record UnitKeyedError(string Connector, string CountyCode, string Period, string Status, string Error);

/// <summary>A run as a report names it: what started it, for which cycle, how it ended, and when.</summary>
public sealed record RunHeader(long Id, string Trigger, string? Cycle, string Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, bool Backfill = false);

/// <summary>A run as operators list it.</summary>
public sealed record RunSummary(
    long Id,
    string Trigger,
    string? Cycle,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    int Units,
    int UnitsSucceeded,
    int UnitsFailed,
    string? Note,
    IReadOnlyList<StreamSummary> Streams,
    bool Backfill = false);

/// <summary>Per-stream totals of a run, over its counties and periods.</summary>
/// <param name="PagesNeeded">The fewest requests its rows could be read in, against <paramref name="Pages"/> made; null when not known.</param>
public sealed record StreamSummary(
    string Connector,
    string Stream,
    int Counties,
    int Failed,
    int Flagged,
    long Pages,
    long RowsRead,
    long RowsKept,
    long FactsEmitted,
    long? PagesNeeded = null);

/// <summary>The states of a unit, as stored in <c>ingest.run_unit.status</c>.</summary>
public static class UnitStatus
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    /// <summary>Its worker stopped (the lease ran out) before it committed; nothing of it was written.</summary>
    public const string Interrupted = "interrupted";
}

/// <summary>What asking to run a unit found.</summary>
public enum UnitClaim
{
    /// <summary>The unit is this worker's until it commits, fails or lets its lease run out.</summary>
    Claimed,

    /// <summary>It already succeeded: nothing to do.</summary>
    Done,

    /// <summary>Another worker holds a live lease on it: this one leaves it alone.</summary>
    Held,
}

/// <summary>How a unit ended.</summary>
public sealed record UnitOutcome(UnitKey Key, string Status, int FactsInserted, int FactsUpdated, int FactsUnchanged, string? Error)
{
    public bool Failed => Status == UnitStatus.Failed;
}

/// <summary>A unit as operators inspect it: state, attempts, facts, the error of a failure, and its streams.</summary>
public sealed record UnitView(string Connector, string CountyCode, string Period, string Status, int Attempts, int FactsInserted, int FactsUpdated,
    int FactsUnchanged, string? Error, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, IReadOnlyList<UnitStreamView> Streams);

/// <summary>One stream of a unit: pages, rows read and kept, facts, and its note (why it failed or was flagged).</summary>
public sealed record UnitStreamView(string Stream, string Status, int Pages, long RowsRead, long RowsKept, int FactsEmitted, string? Note);

/// <summary>
/// How fresh a connector's data of a county is: the last unit that succeeded (its run and when it finished), and the
/// last failure when it came after that success.
/// </summary>
public sealed record Freshness(string Connector, string CountyCode, DateTimeOffset? LastSuccess, long? LastSuccessRun, DateTimeOffset? LastFailure,
    string? LastError);
