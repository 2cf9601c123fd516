namespace Ingest.Scoring.Programme;

/// <summary>
/// 第十一条（二）: the 3-star schools the county bureau determines (每年确定为三星级学校的数量) against 30% of its
/// cultivation schools. Every cultivation school is in exactly one of <see cref="ThreeStarSchools"/>,
/// <see cref="NotThreeStarSchools"/> and <see cref="UndecidedSchools"/>, by the level it holds from the column that
/// decides it (<see cref="AwardedLevel.Of"/>): a 4-star applicant is decided by the department, so it is never one of
/// the bureau's 3-star schools, and while its department column waits it is undecided here too.
/// </summary>
/// <param name="CultivationSchools">
/// 当地培育学校总数: the county's 自治区培育对象 on the year's roster; where no roster is given, the schools of the county
/// with a scoresheet in the cycle.
/// </param>
/// <param name="Allowed">The most 3-star schools the share allows: ⌊share × cultivation schools⌋.</param>
/// <param name="Schools">Every rated school of the county with its outcome and the column that decides it, in code order.</param>
/// <param name="RosterMissing">A roster was asked for and the county has no school on it: the share cannot be judged.</param>
public sealed record ThreeStarShareLine(
    string CountyCode,
    int CultivationSchools,
    int Allowed,
    IReadOnlyList<SchoolOutcome> Schools,
    RuleStatus Status,
    bool RosterMissing = false)
{
    /// <summary>Codes of the schools the bureau determines 3-star.</summary>
    public IReadOnlyList<string> ThreeStarSchools => Schools.Where(IsBureauThreeStar).Select(s => s.SchoolCode).ToArray();

    /// <summary>Codes of the decided schools that are not the bureau's 3-star schools (another level, none, or the department's).</summary>
    public IReadOnlyList<string> NotThreeStarSchools => Schools.Where(s => s.Stars is not null && !IsBureauThreeStar(s)).Select(s => s.SchoolCode).ToArray();

    private static bool IsBureauThreeStar(SchoolOutcome s) => s is { Stars: 3, DecidedBy: "bureau" };

    /// <summary>Codes of the schools whose deciding column still has lines to fill.</summary>
    public IReadOnlyList<string> UndecidedSchools => Schools.Where(s => s.Stars is null).Select(s => s.SchoolCode).ToArray();

    /// <summary>How many schools are undecided.</summary>
    public int Undecided => UndecidedSchools.Count;
}

/// <summary>A school's level in the year and the column that decides it (bureau or department); <see cref="Stars"/> null while that column waits.</summary>
public sealed record SchoolOutcome(string SchoolCode, string SchoolName, int? AppliedStars, int? Stars, string DecidedBy);
