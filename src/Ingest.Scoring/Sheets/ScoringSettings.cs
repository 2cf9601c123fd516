namespace Ingest.Scoring.Sheets;

/// <summary>
/// The decisions docs/domain.md takes where the documents are ambiguous, each a setting (<c>Scoring</c> section) with its
/// default. Every auto score names the settings it used, so users see them next to the score.
/// </summary>
public sealed class ScoringSettings
{
    /// <summary>The compulsory-education subjects (义务教育课程方案), the default list for A4.4.</summary>
    public static readonly IReadOnlyList<string> CompulsorySubjects =
        ["语文", "数学", "英语", "道德与法治", "历史", "地理", "科学", "物理", "化学", "生物学", "信息科技", "体育与健康", "音乐", "美术", "劳动"];

    /// <summary>"Equal to the region" is within this relative distance of the region's value (0.01 = ±1%).</summary>
    public decimal RegionEqualTolerance { get; set; } = 0.01m;

    /// <summary>The subjects course communities must cover together (A4.4, first point); null: <see cref="CompulsorySubjects"/>.</summary>
    public IReadOnlyList<string>? Subjects { get; set; }

    /// <summary>
    /// When a ★ item counts as met for four and five stars: at its full points (the standard's reading, the default) or
    /// at any points (which 002's 94.5-point 四星级 城关第一小学 may imply). The programme report names the schools whose
    /// level the other reading would change.
    /// </summary>
    public StarItemReading StarItemsMet { get; set; } = StarItemReading.FullPoints;

    /// <summary>The subject list in force.</summary>
    public IReadOnlyList<string> SubjectList => Subjects is { Count: > 0 } s ? s : CompulsorySubjects;
}

/// <summary>When a ★ item counts as met (the veto of 四星级 and 五星级).</summary>
public enum StarItemReading
{
    /// <summary>At its full points.</summary>
    FullPoints,

    /// <summary>At any points above 0.</summary>
    AnyPoints,
}
