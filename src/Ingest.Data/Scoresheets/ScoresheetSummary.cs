namespace Ingest.Data.Scoresheets;

/// <summary>One line of a list of scoresheets: the organisation and each column's totals as last computed, keyed self, bureau, department.</summary>
public sealed record ScoresheetSummary(long Id, string OrgCode, string OrgName, string? CountyCode, string RubricId, string Cycle, int? AppliedStars,
    DateTimeOffset ScoredAt, IReadOnlyDictionary<string, ColumnSummary> Columns, bool Finalised = false);

/// <summary>A column's totals as last computed.</summary>
/// <param name="StarsOtherReading">The level the other reading of "a ★ item is met" would give (<c>Scoring:StarItemsMet</c>).</param>
public sealed record ColumnSummary(decimal Total, int? Stars, int? StarsByTotal, IReadOnlyList<string> UnmetVetoItems, int Pending, int NotComputable, int Entries,
    int? StarsOtherReading = null);
