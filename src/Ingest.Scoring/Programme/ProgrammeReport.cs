using Ingest.Core.Levels;

namespace Ingest.Scoring.Programme;

/// <summary>第十三条 for one county: its schools holding 四星级 or above at the end of the year, against all its schools.</summary>
/// <param name="Schools">The county's active schools in the directory.</param>
/// <param name="Share">FourStarPlus ÷ Schools.</param>
public sealed record FourStarShareLine(string CountyCode, int Schools, IReadOnlyList<string> FourStarPlus, decimal Share);

/// <summary>The programme rules of the school star programme for a year, county by county.</summary>
public sealed record ProgrammeReport(
    int Year,
    ProgrammeSettings Settings,
    IReadOnlyList<ThreeStarShareLine> ThreeStarShare,
    IReadOnlyList<FourStarPassLine> FourStarPassRate,
    IReadOnlyList<DemotionFlag> Demotions,
    IReadOnlyList<FourStarShareLine> FourStarShare)
{
    /// <summary>The report for <paramref name="year"/> from the ratings of that year and the register of levels.</summary>
    /// <param name="roster">
    /// 自治区培育对象 per county on the year's roster, the base of the 30% share (第十一条（二）: 当地培育学校总数); null: the
    /// schools rated in the cycle stand for it.
    /// </param>
    /// <param name="register">Every entry of the register of levels up to the year: the levels held (第十三条) and 第十四条.</param>
    /// <param name="schools">Active schools per county, the base of each county's share of 四星级 and above.</param>
    public static ProgrammeReport Build(int year, IReadOnlyCollection<SchoolRating> ratings, ProgrammeSettings settings, IReadOnlyDictionary<string, int>? roster = null,
        IReadOnlyCollection<LevelEntry>? register = null, IReadOnlyDictionary<string, int>? schools = null)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        ArgumentNullException.ThrowIfNull(settings);
        var thisYear = ratings.Where(r => r.Year == year).ToArray();
        var counties = thisYear.GroupBy(r => r.CountyCode, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToArray();
        var rostered = roster?.Keys.Except(counties.Select(g => g.Key), StringComparer.Ordinal)
            .Select(c => (Key: c, Schools: Array.Empty<SchoolRating>())) ?? [];
        return new ProgrammeReport(year, settings,
            counties.Select(g => (g.Key, Schools: g.ToArray())).Concat(rostered).OrderBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => ThreeStar(c.Key, c.Schools, settings.ThreeStarShare, roster is null ? null : roster.GetValueOrDefault(c.Key))).ToArray(),
            counties.Select(g => FourStar(g.Key, g.ToArray(), settings.FourStarPassRate)).Where(l => l.Applications > 0).ToArray(),
            FlagDemotions(year, register ?? [], settings.YearsWithoutAdvance),
            FourStarShares(year, register ?? [], schools ?? new Dictionary<string, int>()));
    }

    private static FourStarShareLine[] FourStarShares(int year, IReadOnlyCollection<LevelEntry> register, IReadOnlyDictionary<string, int> schools)
    {
        var held = register.GroupBy(e => e.SchoolCode, StringComparer.Ordinal).Select(g => LevelHistory.HeldAt(g, year)).OfType<LevelEntry>()
            .Where(e => e.Stars >= 4).ToLookup(e => e.CountyCode, StringComparer.Ordinal);
        return schools.Where(c => c.Value > 0).OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => (c.Key, c.Value, Codes: held[c.Key].Select(e => e.SchoolCode).Order(StringComparer.Ordinal).ToArray()))
            .Select(c => new FourStarShareLine(c.Key, c.Value, c.Codes, (decimal)c.Codes.Length / c.Value)).ToArray();
    }

    private static ThreeStarShareLine ThreeStar(string county, SchoolRating[] schools, decimal share, int? rostered)
    {
        var outcomes = schools.OrderBy(s => s.SchoolCode, StringComparer.Ordinal)
            .Select(s => (Rating: s, Level: AwardedLevel.Of(s)))
            .Select(x => new SchoolOutcome(x.Rating.SchoolCode, x.Rating.SchoolName, x.Rating.AppliedStars, x.Level.Stars, x.Level.By)).ToArray();
        var threeStar = outcomes.Count(o => o is { Stars: 3, DecidedBy: "bureau" });
        var undecided = outcomes.Count(o => o.Stars is null);
        var cultivation = rostered ?? schools.Length;
        var allowed = (int)Math.Floor(share * cultivation);
        var missing = rostered == 0;
        var status = missing ? RuleStatus.Undecided
            : threeStar > allowed ? RuleStatus.Breached
            : threeStar + undecided > allowed ? RuleStatus.Undecided
            : RuleStatus.Met;
        return new ThreeStarShareLine(county, cultivation, allowed, outcomes, status, missing);
    }

    private static FourStarPassLine FourStar(string county, SchoolRating[] schools, decimal threshold)
    {
        var applications = schools.Where(s => s is { Forwarded: true, Direct: false, AppliedStars: >= 4 }).Select(s => (s.SchoolCode, AwardedLevel.Of(s).Stars)).ToArray();
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

    /// <summary>第十四条 from the register: see <see cref="LevelHistory.WithoutAdvance"/>.</summary>
    private static DemotionFlag[] FlagDemotions(int year, IReadOnlyCollection<LevelEntry> register, int years) =>
        register.GroupBy(e => e.SchoolCode, StringComparer.Ordinal)
            .Select(g => (Held: LevelHistory.HeldAt(g, year), Levels: LevelHistory.WithoutAdvance(g, year, years)))
            .Where(x => x.Levels is not null)
            .Select(x => new DemotionFlag(x.Held!.SchoolCode, x.Held.SchoolName, x.Held.CountyCode, x.Levels!))
            .OrderBy(f => f.CountyCode, StringComparer.Ordinal).ThenBy(f => f.SchoolCode, StringComparer.Ordinal).ToArray();
}
