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
    string? DedupeKey = null);

/// <summary>A unit of a run: a connector's streams for one county and period.</summary>
public sealed record UnitKey(long RunId, string Connector, string CountyCode, string Period)
{
    public override string ToString() => $"run {RunId} {Connector}/{CountyCode}/{Period}";
}

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
    IReadOnlyList<StreamSummary> Streams);

/// <summary>Per-stream totals of a run, over its counties and periods.</summary>
public sealed record StreamSummary(
    string Connector,
    string Stream,
    int Counties,
    int Failed,
    int Flagged,
    long Pages,
    long RowsRead,
    long RowsKept,
    long FactsEmitted);

/// <summary>The states of a unit, as stored in <c>ingest.run_unit.status</c>.</summary>
public static class UnitStatus
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

/// <summary>How a unit ended.</summary>
public sealed record UnitOutcome(UnitKey Key, string Status, int FactsInserted, int FactsUpdated, int FactsUnchanged, string? Error)
{
    public bool Failed => Status == UnitStatus.Failed;
}
