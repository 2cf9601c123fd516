namespace Ingest.Scoring.Programme;

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
    /// <param name="roster">
    /// 自治区培育对象 per county on the year's roster, the base of the 30% share (第十一条（二）: 当地培育学校总数); null: the
    /// schools rated in the cycle stand for it.
    /// </param>
    public static ProgrammeReport Build(int year, IReadOnlyCollection<SchoolRating> ratings, ProgrammeSettings settings, IReadOnlyDictionary<string, int>? roster = null)
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
            FlagDemotions(year, ratings, settings.YearsWithoutAdvance));
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
