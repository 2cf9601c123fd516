using Ingest.Core.Sheets;

namespace Ingest.Data.Scoresheets;

/// <summary>A sheet as it stands under its row lock, for a use case to decide on entries: what it is, its lines, its entries, and the moment of the change.</summary>
public sealed record LockedSheet(long Id, string RubricId, string OrgCode, string Cycle, IReadOnlyDictionary<string, AutoOutcome> Auto,
    IReadOnlyList<EntryLog> Entries, DateTimeOffset Now, IReadOnlyList<Column>? Frozen = null);

/// <summary>An entry to log, with the value it replaces and the target's score before and after it (and the pre-filled score).</summary>
public sealed record EntryToLog(Entry Entry, EntryValue? Previous, decimal? Before, decimal? After, decimal? AutoScore);

/// <summary>What a use case decided on a locked sheet: the entries to log, those skipped as unchanged, and the columns after them.</summary>
public sealed record EntryBatch(IReadOnlyList<EntryToLog> Entries, int Unchanged, IReadOnlyList<ColumnTotals> Columns);

/// <summary>
/// Scores a sheet's three columns from its auto lines and its entries. The store calls it inside its transaction,
/// under the sheet's row lock, so the columns it writes are computed from what is committed.
/// </summary>
public delegate IReadOnlyList<ColumnTotals> ColumnScorer(IReadOnlyDictionary<string, AutoOutcome> auto, IReadOnlyList<Entry> entries);
