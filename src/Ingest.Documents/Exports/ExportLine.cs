namespace Ingest.Documents.Exports;

/// <summary>One line of the lines export: a target of a scoresheet in one column, in the words a rater reads.</summary>
/// <param name="Rubric">The rubric's title (宁夏中小学“互联网+教育”智慧校园认定标准).</param>
/// <param name="Cycle">The cycle in words: 2025年度.</param>
/// <param name="Column">学校自评, 教育局评定 or 教育厅评定.</param>
/// <param name="Status">待填, 自动, 已录入, 已改写 or 无法计算.</param>
/// <param name="Basis">For auto lines, the comparison that gave the score, or why it could not be computed.</param>
/// <param name="Figures">For auto lines, every fact used: indicator, period, figure (numerator/denominator), source, batch.</param>
/// <param name="Counts">For counted items, the counts entered under the rubric's labels.</param>
public sealed record ExportLine(
    string OrgCode,
    string OrgName,
    string Rubric,
    string Cycle,
    string Column,
    string Item,
    string Target,
    string Text,
    decimal Points,
    bool Veto,
    string Status,
    decimal? Score,
    decimal? AutoScore,
    string? Basis,
    string? Figures,
    string? Counts,
    string? EnteredBy,
    string? EntryReason);
