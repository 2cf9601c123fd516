using Ingest.Core.Periods;
using Ingest.Core.Sheets;
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
    IReadOnlyList<ColumnResult> Columns,
    IReadOnlyList<Column>? Frozen = null)
{
    /// <summary>The columns frozen by 备案 (自评 and 教育局评定 when the bureau finalised its county); empty while the sheet is open.</summary>
    public IReadOnlyList<Column> FrozenColumns => Frozen ?? [];

    /// <summary>Whether the sheet was finalised: its pre-filled lines are no longer re-scored.</summary>
    public bool IsFinalised => FrozenColumns.Count > 0;

    /// <summary>The column's result.</summary>
    public ColumnResult Column(Column column) => Columns.Single(c => c.Column == column);
}
