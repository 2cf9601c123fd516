using Ingest.Core.Periods;
using Ingest.Core.Sheets;

namespace Ingest.Data.Scoresheets;

/// <summary>A scoresheet as stored: the organisation, rubric and cycle, its auto lines and its entries; the columns are the scorer's to compute.</summary>
public sealed record StoredScoresheet(long Id, string OrgCode, string OrgName, string? CountyCode, string RubricId, EvaluationCycle Cycle, CyclePeriods Periods,
    int? AppliedStars, DateTimeOffset ScoredAt, IReadOnlyList<string> Settings, IReadOnlyDictionary<string, AutoOutcome> Auto, IReadOnlyList<EntryLog> Entries,
    IReadOnlyList<Column>? Frozen = null);
