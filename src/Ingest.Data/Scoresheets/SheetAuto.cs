using Ingest.Core.Sheets;

namespace Ingest.Data.Scoresheets;

/// <summary>One sheet's scoring for <see cref="ScoresheetStore.SaveAutoManyAsync"/>: the organisation, the settings it used, its auto outcomes.</summary>
public sealed record SheetAuto(string OrgCode, IReadOnlyList<string> Settings, IReadOnlyDictionary<string, AutoOutcome> Auto);

/// <summary>
/// What a bulk save did: sheets scored (of them, created), auto lines written because their content changed, left
/// because it had not, and removed because the rubric no longer has their target; column rows whose totals changed.
/// </summary>
public sealed record BulkScoreOutcome(int Sheets, int Created, int LinesWritten, int LinesUnchanged, int LinesRemoved, int ColumnsWritten)
{
    public static readonly BulkScoreOutcome None = new(0, 0, 0, 0, 0, 0);

    public BulkScoreOutcome Add(BulkScoreOutcome other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Sheets + other.Sheets, Created + other.Created, LinesWritten + other.LinesWritten, LinesUnchanged + other.LinesUnchanged,
            LinesRemoved + other.LinesRemoved, ColumnsWritten + other.ColumnsWritten);
    }
}
