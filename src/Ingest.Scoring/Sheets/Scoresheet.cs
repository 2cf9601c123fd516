using Ingest.Core.Periods;
using Ingest.Scoring.Rubrics;

namespace Ingest.Scoring.Sheets;

/// <summary>
/// A scoresheet: an organisation rated against a rubric in a cycle. The auto outcomes come from the facts of the
/// cycle's periods; the entries are what people filled in; each column is scored from both.
/// </summary>
/// <param name="AppliedStars">申报星级, when the school applied for a level.</param>
public sealed record Scoresheet(
    long Id,
    string OrgCode,
    string OrgName,
    string? CountyCode,
    Rubric Rubric,
    EvaluationCycle Cycle,
    CyclePeriods Periods,
    int? AppliedStars,
    DateTimeOffset ScoredAt,
    IReadOnlyList<string> Settings,
    IReadOnlyDictionary<string, AutoOutcome> Auto,
    IReadOnlyList<EntryLog> Entries,
    IReadOnlyList<ColumnResult> Columns)
{
    /// <summary>The column's result.</summary>
    public ColumnResult Column(Column column) => Columns.Single(c => c.Column == column);
}

/// <summary>An entry as logged: the value, who and when, and the target's score in that column before and after.</summary>
public sealed record EntryLog(long Id, Entry Entry, decimal? OldScore, decimal? NewScore, decimal? AutoScore);

/// <summary>A scoresheet request that cannot be met (unknown organisation or item, an entry out of bounds, a missing reason); the message says why.</summary>
public class ScoresheetException(string message) : Exception(message);
