namespace Ingest.Core.Oversight;

/// <summary>A school that may be drawn for a spot check: its 学段 (the directory's school type) and the level its bureau gave.</summary>
public sealed record SpotCheckCandidate(string Code, string Name, string Stratum, int Stars);

/// <summary>One sampled school's check: the level its bureau gave, the department's, and the department's conclusion.</summary>
/// <param name="Outcome">合格 or 不合格; null while the department has not concluded the check.</param>
public sealed record SpotCheck(string SchoolCode, string SchoolName, string Stratum, int BureauStars, int? DepartmentStars, string? Outcome, string? Note,
    string? DecidedBy, DateTimeOffset? DecidedAt);

/// <summary>
/// A county's spot-check draw as recorded: the seed, the size asked for, every school eligible when it was drawn, who drew
/// it and when; the checks of the schools drawn; and the county's outcome once the department closed it (which publishes it).
/// </summary>
public sealed record SpotCheckDraw(long Id, string Cycle, string CountyCode, long Seed, int SampleSize, IReadOnlyList<SpotCheckCandidate> Population,
    string DrawnBy, DateTimeOffset DrawnAt, IReadOnlyList<SpotCheck> Checks, string? Outcome = null, string? Note = null, string? ClosedBy = null,
    DateTimeOffset? ClosedAt = null)
{
    /// <summary>合格 and 不合格 as the measures write them.</summary>
    public const string Passed = "合格";

    public const string Failed = "不合格";

    /// <summary>Whether the department has closed the draw: the county's outcome is recorded and the bureau may read it.</summary>
    public bool Closed => Outcome is not null;
}
