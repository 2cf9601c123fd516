namespace Ingest.Scoring.Programme;

/// <summary>One school's ratings in one school star cycle, as its scoresheet holds them.</summary>
/// <param name="Year">The cycle's year (school:Year).</param>
/// <param name="AppliedStars">The level the school applied for (申报星级), if recorded.</param>
/// <param name="BureauStars">The level the county bureau's column gives (教育局评定), null: none.</param>
/// <param name="BureauDecided">The bureau column has no pending or not-computable line left.</param>
/// <param name="DepartmentStars">The level the department's column gives (教育厅评定), null: none.</param>
/// <param name="DepartmentDecided">The department column has no pending or not-computable line left.</param>
public sealed record SchoolRating(
    string SchoolCode,
    string SchoolName,
    string CountyCode,
    int Year,
    int? AppliedStars,
    int? BureauStars,
    bool BureauDecided,
    int? DepartmentStars,
    bool DepartmentDecided);

/// <summary>The level a school holds after a cycle, and who gave it.</summary>
/// <param name="Stars">0 when the school holds no level; null while the deciding column is not complete.</param>
/// <param name="By">bureau (二、三星级, 第十一条（二）) or department (四星级 and above, 第十一条（三）).</param>
public sealed record AwardedLevel(int? Stars, string By)
{
    /// <summary>
    /// A school that applies for 4 stars or more is rated by the department, up to the level it applied for; any other
    /// school by its county bureau, which awards at most 3 stars (and at most what the school applied for).
    /// </summary>
    public static AwardedLevel Of(SchoolRating rating)
    {
        ArgumentNullException.ThrowIfNull(rating);
        if (rating.AppliedStars is >= 4)
        {
            return new AwardedLevel(rating.DepartmentDecided ? Math.Min(rating.DepartmentStars ?? 0, rating.AppliedStars.Value) : null, "department");
        }

        var ceiling = Math.Min(3, rating.AppliedStars ?? 3);
        return new AwardedLevel(rating.BureauDecided ? Math.Min(rating.BureauStars ?? 0, ceiling) : null, "bureau");
    }
}

/// <summary>The programme rules' thresholds (管理办法 第十一条、第十四条、第十五条), configurable under <c>Scoring:Programme</c>.</summary>
public sealed class ProgrammeSettings
{
    /// <summary>A county's 3-star schools of a year may not exceed this share of its cultivation schools.</summary>
    public decimal ThreeStarShare { get; set; } = 0.30m;

    /// <summary>A county whose 4-star applications of a year pass below this rate is flagged.</summary>
    public decimal FourStarPassRate { get; set; } = 0.50m;

    /// <summary>A school that has not moved up in this many consecutive years is flagged for demotion.</summary>
    public int YearsWithoutAdvance { get; set; } = 3;
}

/// <summary>Whether a county meets a programme rule.</summary>
public enum RuleStatus
{
    /// <summary>The rule is met, whatever the undecided schools turn out to be.</summary>
    Met,

    /// <summary>The rule is broken, whatever the undecided schools turn out to be.</summary>
    Breached,

    /// <summary>It depends on schools whose deciding column is not complete yet.</summary>
    Undecided,
}

/// <summary>
/// 第十一条（二）: the 3-star schools the county bureau determines (每年确定为三星级学校的数量) against 30% of its
/// cultivation schools. Every cultivation school is in exactly one of <see cref="ThreeStarSchools"/>,
/// <see cref="NotThreeStarSchools"/> and <see cref="UndecidedSchools"/>, by the level it holds from the column that
/// decides it (<see cref="AwardedLevel.Of"/>): a 4-star applicant is decided by the department, so it is never one of
/// the bureau's 3-star schools, and while its department column waits it is undecided here too.
/// </summary>
/// <param name="CultivationSchools">Schools of the county with a scoresheet in the cycle.</param>
/// <param name="Allowed">The most 3-star schools the share allows: ⌊share × cultivation schools⌋.</param>
/// <param name="Schools">Every cultivation school with its outcome and the column that decides it, in code order.</param>
public sealed record ThreeStarShareLine(
    string CountyCode,
    int CultivationSchools,
    int Allowed,
    IReadOnlyList<SchoolOutcome> Schools,
    RuleStatus Status)
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

/// <summary>第十五条（2）: a county's 4-star applications of the year and how many the department passed.</summary>
/// <param name="Rate">Passed ÷ applications once every application is decided.</param>
/// <param name="Failed">Codes of the applications the department did not pass.</param>
public sealed record FourStarPassLine(
    string CountyCode,
    int Applications,
    int Passed,
    IReadOnlyList<string> Failed,
    int Undecided,
    decimal? Rate,
    RuleStatus Status);

/// <summary>第十四条: a school that has not moved up in the given consecutive years, with its levels year by year.</summary>
public sealed record DemotionFlag(string SchoolCode, string SchoolName, string CountyCode, IReadOnlyList<YearLevel> Levels);

/// <summary>A school's awarded level in one year.</summary>
public sealed record YearLevel(int Year, int Stars);

/// <summary>The programme rules of the school star programme for a year, county by county.</summary>
public sealed record ProgrammeReport(
    int Year,
    ProgrammeSettings Settings,
    IReadOnlyList<ThreeStarShareLine> ThreeStarShare,
    IReadOnlyList<FourStarPassLine> FourStarPassRate,
    IReadOnlyList<DemotionFlag> Demotions)
{
    /// <summary>
    /// The report for <paramref name="year"/> from the ratings of that year and the years before it (the demotion rule
    /// reads <see cref="ProgrammeSettings.YearsWithoutAdvance"/> years back and the year before them).
    /// </summary>
    public static ProgrammeReport Build(int year, IReadOnlyCollection<SchoolRating> ratings, ProgrammeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        ArgumentNullException.ThrowIfNull(settings);
        var thisYear = ratings.Where(r => r.Year == year).ToArray();
        var counties = thisYear.GroupBy(r => r.CountyCode, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToArray();
        return new ProgrammeReport(year, settings,
            counties.Select(g => ThreeStar(g.Key, g.ToArray(), settings.ThreeStarShare)).ToArray(),
            counties.Select(g => FourStar(g.Key, g.ToArray(), settings.FourStarPassRate)).Where(l => l.Applications > 0).ToArray(),
            FlagDemotions(year, ratings, settings.YearsWithoutAdvance));
    }

    private static ThreeStarShareLine ThreeStar(string county, SchoolRating[] schools, decimal share)
    {
        var outcomes = schools.OrderBy(s => s.SchoolCode, StringComparer.Ordinal)
            .Select(s => (Rating: s, Level: AwardedLevel.Of(s)))
            .Select(x => new SchoolOutcome(x.Rating.SchoolCode, x.Rating.SchoolName, x.Rating.AppliedStars, x.Level.Stars, x.Level.By)).ToArray();
        var threeStar = outcomes.Count(o => o is { Stars: 3, DecidedBy: "bureau" });
        var undecided = outcomes.Count(o => o.Stars is null);
        var allowed = (int)Math.Floor(share * schools.Length);
        var status = threeStar > allowed ? RuleStatus.Breached
            : threeStar + undecided > allowed ? RuleStatus.Undecided
            : RuleStatus.Met;
        return new ThreeStarShareLine(county, schools.Length, allowed, outcomes, status);
    }

    private static FourStarPassLine FourStar(string county, SchoolRating[] schools, decimal threshold)
    {
        var applications = schools.Where(s => s.AppliedStars is >= 4).Select(s => (s.SchoolCode, AwardedLevel.Of(s).Stars)).ToArray();
        var passed = applications.Count(a => a.Stars >= 4);
        var failed = applications.Where(a => a.Stars is { } s && s < 4).Select(a => a.SchoolCode).Order(StringComparer.Ordinal).ToArray();
        var undecided = applications.Length - passed - failed.Length;
        var n = applications.Length;

        // Compare passed/n with the threshold without rounding: passed < threshold × n.
        var status = n == 0 ? RuleStatus.Met
            : passed + undecided < threshold * n ? RuleStatus.Breached
            : passed >= threshold * n ? RuleStatus.Met
            : RuleStatus.Undecided;
        return new FourStarPassLine(county, n, passed, failed, undecided, undecided == 0 && n > 0 ? (decimal)passed / n : null, status);
    }

    /// <summary>
    /// Flagged: the school holds a level in <paramref name="year"/>, is below the top level (5), has a decided level in
    /// each of the <paramref name="years"/> years up to <paramref name="year"/> and in the year before them, and in none
    /// of those years rose above the year before. A missing or undecided year flags nothing: the history is not known.
    /// </summary>
    private static DemotionFlag[] FlagDemotions(int year, IReadOnlyCollection<SchoolRating> ratings, int years)
    {
        var bySchool = ratings.GroupBy(r => r.SchoolCode, StringComparer.Ordinal);
        var flags = new List<DemotionFlag>();
        foreach (var school in bySchool)
        {
            var levels = new List<YearLevel>();
            for (var y = year - years; y <= year; y++)
            {
                var rating = school.Where(r => r.Year == y).ToArray();
                if (rating.Length != 1 || AwardedLevel.Of(rating[0]).Stars is not { } stars)
                {
                    break;
                }

                levels.Add(new YearLevel(y, stars));
            }

            if (levels.Count == years + 1
                && levels[^1].Stars is > 0 and < 5
                && levels.Zip(levels.Skip(1)).All(p => p.Second.Stars <= p.First.Stars))
            {
                var current = school.Single(r => r.Year == year);
                flags.Add(new DemotionFlag(current.SchoolCode, current.SchoolName, current.CountyCode, levels));
            }
        }

        return flags.OrderBy(f => f.CountyCode, StringComparer.Ordinal).ThenBy(f => f.SchoolCode, StringComparer.Ordinal).ToArray();
    }
}
