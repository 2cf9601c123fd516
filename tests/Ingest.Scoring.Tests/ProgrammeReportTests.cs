using System.Globalization;
using Ingest.Core.Levels;
using Ingest.Scoring.Programme;

namespace Ingest.Scoring.Tests;

/// <summary>The programme rules of 管理办法 第十一条、第十四条、第十五条, with figures counted by hand.</summary>
public class ProgrammeReportTests
{
    private const string County = "640424";
    private static readonly ProgrammeSettings Defaults = new();

    private static SchoolRating Bureau(string code, int? stars, bool decided = true, int year = 2025, int? applied = null, string county = County) =>
        new(code, "学校" + code, county, year, applied, stars, decided, null, false);

    /// <summary>A 4-star application the bureau forwarded to the department.</summary>
    private static SchoolRating Department(string code, int? stars, bool decided = true, int applied = 4, int year = 2025) =>
        new(code, "学校" + code, County, year, applied, 4, true, stars, decided, Forwarded: true);

    [Theory]
    [InlineData(null, 3, true, null, false, 3, "bureau", false)] // no application recorded: the bureau's level
    [InlineData(null, 4, true, null, false, 3, "bureau", false)] // a bureau awards at most 3 stars
    [InlineData(2, 3, true, null, false, 2, "bureau", false)] // at most what the school applied for
    [InlineData(3, null, true, null, false, 0, "bureau", false)] // below 70 points: no level
    [InlineData(3, 3, false, null, false, null, "bureau", false)] // bureau column still has lines to fill
    [InlineData(4, 4, true, 4, true, 4, "department", true)]
    [InlineData(4, 4, true, 3, true, 3, "department", true)] // the department may give less
    [InlineData(4, 4, true, 5, true, 4, "department", true)] // …but not more than applied for
    [InlineData(5, 5, true, 5, false, null, "department", true)]
    [InlineData(4, 4, true, 4, true, 3, "bureau", false)] // a 申报四星级 the bureau did not forward: its 3 stars stand
    public void Awarded_level_comes_from_the_column_that_decides_it(int? applied, int? bureau, bool bureauDecided, int? department, bool departmentDecided, int? expected, string by,
        bool forwarded)
    {
        var level = AwardedLevel.Of(new SchoolRating("s", "学校", County, 2025, applied, bureau, bureauDecided, department, departmentDecided, forwarded));

        level.ShouldBe(new AwardedLevel(expected, by));
    }

    [Fact]
    public void Every_school_is_counted_once_and_a_4_star_applicant_with_a_pending_department_column_is_undecided()
    {
        // 92 schools the bureau rated 2 stars, one still being filled by the bureau, and one applicant for 4 stars
        // whose 教育厅 column is pending: 94 cultivation schools, none lost from the count.
        var ratings = Enumerable.Range(1, 92).Select(i => Bureau($"{i:D3}", 2))
            .Append(Bureau("093", 3, decided: false))
            .Append(Department("094", 4, decided: false))
            .ToArray();

        var report = ProgrammeReport.Build(2025, ratings, Defaults);
        var line = report.ThreeStarShare.Single();

        line.CultivationSchools.ShouldBe(94);
        (line.ThreeStarSchools.Count, line.NotThreeStarSchools.Count, line.Undecided).ShouldBe((0, 92, 2));
        (line.ThreeStarSchools.Count + line.NotThreeStarSchools.Count + line.Undecided).ShouldBe(line.CultivationSchools);
        line.UndecidedSchools.ShouldBe(["093", "094"]);
        line.Schools.Single(s => s.SchoolCode == "094").DecidedBy.ShouldBe("department");
        line.Schools.Single(s => s.SchoolCode == "093").DecidedBy.ShouldBe("bureau");
        var pass = report.FourStarPassRate.Single();
        (pass.Applications, pass.Passed, pass.Undecided, pass.Status).ShouldBe((1, 0, 1, RuleStatus.Undecided));
    }

    [Fact]
    public void A_4_star_applicant_the_department_rates_3_stars_is_counted_once_outside_the_bureaus_3_star_schools()
    {
        SchoolRating[] ratings = [Department("001", 3), Bureau("002", 3), Bureau("003", 2), Bureau("004", 2)];

        var line = ProgrammeReport.Build(2025, ratings, Defaults).ThreeStarShare.Single();

        line.ThreeStarSchools.ShouldBe(["002"]);
        line.NotThreeStarSchools.ShouldBe(["001", "003", "004"]);
        line.Schools.Single(s => s.SchoolCode == "001").ShouldBe(new SchoolOutcome("001", "学校001", 4, 3, "department"));
        line.Status.ShouldBe(RuleStatus.Met); // ⌊30% × 4⌋ = 1 allowed; the bureau determined 1
    }

    [Theory]
    [InlineData(10, 3, 0, 3, RuleStatus.Met)] // 3 of 10 = 30%: not above
    [InlineData(10, 4, 0, 3, RuleStatus.Breached)] // 40%
    [InlineData(9, 3, 0, 2, RuleStatus.Breached)] // 3 of 9 = 33.3%; ⌊2.7⌋ = 2 allowed
    [InlineData(9, 2, 0, 2, RuleStatus.Met)]
    [InlineData(9, 2, 1, 2, RuleStatus.Undecided)] // one more 3-star would break it
    [InlineData(3, 0, 0, 0, RuleStatus.Met)]
    [InlineData(3, 1, 0, 0, RuleStatus.Breached)] // ⌊0.9⌋ = 0: any 3-star school breaks it
    public void Three_star_schools_may_not_exceed_30_percent_of_the_cultivation_schools(int schools, int threeStar, int undecided, int allowed, RuleStatus status)
    {
        var ratings = Enumerable.Range(1, schools).Select(i =>
            i <= threeStar ? Bureau($"{i:D3}", 3)
            : i <= threeStar + undecided ? Bureau($"{i:D3}", 3, decided: false)
            : Bureau($"{i:D3}", 2)).ToArray();

        var line = ProgrammeReport.Build(2025, ratings, Defaults).ThreeStarShare.Single();

        (line.CountyCode, line.CultivationSchools, line.Allowed, line.ThreeStarSchools.Count, line.Undecided, line.Status)
            .ShouldBe((County, schools, allowed, threeStar, undecided, status));
    }

    [Fact]
    public void Three_star_share_counts_the_bureaus_awards_per_county_and_year_only()
    {
        SchoolRating[] ratings =
        [
            Bureau("001", 3), Bureau("002", 2), Bureau("003", 2), Bureau("004", 2),
            Department("005", 3), // a 4-star application the department rated 3: not the bureau's award
            Bureau("006", 3, year: 2024), // last year's
            Bureau("101", 3, county: "640425"), Bureau("102", 3, county: "640425"),
        ];

        var lines = ProgrammeReport.Build(2025, ratings, Defaults).ThreeStarShare;

        lines.Select(l => (l.CountyCode, l.CultivationSchools, l.Allowed, string.Join(",", l.ThreeStarSchools), l.Status))
            .ShouldBe([(County, 5, 1, "001", RuleStatus.Met), ("640425", 2, 0, "101,102", RuleStatus.Breached)]);
    }

    [Theory]
    [InlineData(2, 2, 0, RuleStatus.Met, "0.5")] // exactly 50% is not below
    [InlineData(1, 2, 0, RuleStatus.Breached, "0.3333333333333333333333333333")]
    [InlineData(1, 1, 2, RuleStatus.Undecided, null)] // 25% to 75% depending on the two left
    [InlineData(0, 3, 1, RuleStatus.Breached, null)] // at most 25%
    [InlineData(1, 0, 1, RuleStatus.Met, null)] // already 50%
    public void Counties_whose_four_star_applications_pass_below_half_are_flagged(int passed, int failed, int undecided, RuleStatus status, string? rate)
    {
        var ratings = Enumerable.Range(0, passed).Select(i => Department($"p{i}", 4))
            .Concat(Enumerable.Range(0, failed).Select(i => Department($"f{i}", 3)))
            .Concat(Enumerable.Range(0, undecided).Select(i => Department($"u{i}", 4, decided: false)))
            .Append(Bureau("b", 3)) // not an application
            .ToArray();

        var line = ProgrammeReport.Build(2025, ratings, Defaults).FourStarPassRate.Single();

        (line.Applications, line.Passed, line.Failed.Count, line.Undecided, line.Status).ShouldBe((passed + failed + undecided, passed, failed, undecided, status));
        line.Rate.ShouldBe(rate is null ? null : decimal.Parse(rate, CultureInfo.InvariantCulture)); // 1 ÷ 3 to decimal precision
    }

    [Fact]
    public void A_county_without_four_star_applications_has_no_pass_rate_line()
    {
        ProgrammeReport.Build(2025, [Bureau("001", 3)], Defaults).FourStarPassRate.ShouldBeEmpty();
    }

    /// <summary>Register entries as written: "2022:3" 授牌 3 stars in 2022, "2023:L2" 降低 to 2, "2023:R" 取消, "2021:I3" imported.</summary>
    private static LevelEntry[] Register(string entries, string code = "001") => entries.Split(',').Select((e, i) =>
    {
        var year = int.Parse(e[..4], CultureInfo.InvariantCulture);
        var (action, stars) = e[5..] switch
        {
            "R" => (LevelAction.Revoke, 0),
            ['L', var n] => (LevelAction.Lower, n - '0'),
            ['I', var n] => (LevelAction.Import, n - '0'),
            var n => (LevelAction.Award, int.Parse(n, CultureInfo.InvariantCulture)),
        };
        return new LevelEntry(i + 1, code, "学校" + code, County, year, action, stars, "泾源县教育局", new DateOnly(year, 9, 1), null, null, "李老师", default);
    }).ToArray();

    [Theory]
    [InlineData("2022:3", "3,3,3,3")] // awarded in 2022, not moved up in 2023, 2024, 2025 (not applying counts)
    [InlineData("2022:3,2023:3,2024:3,2025:3", "3,3,3,3")] // applied each year and kept the same level
    [InlineData("2021:I3", "3,3,3,3,3")] // a level imported from before this service counts from its year
    [InlineData("2021:3,2022:L2", "2,2,2,2")] // lowered in 2022: the years count again from then
    [InlineData("2023:3", null)] // only two years without moving up
    [InlineData("2022:2,2023:3", null)] // moved up in 2023
    [InlineData("2022:3,2025:4", null)] // moved up this year
    [InlineData("2022:3,2023:L2", null)] // lowered in 2023: the department acted, three years from then
    [InlineData("2022:5", null)] // the top level: nothing to move up to
    [InlineData("2022:3,2023:R", null)] // no level left to lower or take away
    public void Schools_not_moving_up_in_three_consecutive_years_are_flagged_for_demotion(string entries, string? levels)
    {
        var flags = ProgrammeReport.Build(2025, [], Defaults, register: Register(entries)).Demotions;

        if (levels is not null)
        {
            var flag = flags.ShouldHaveSingleItem();
            flag.SchoolCode.ShouldBe("001");
            string.Join(",", flag.Levels.Select(l => l.Stars)).ShouldBe(levels);
            flag.Levels[^1].Year.ShouldBe(2025);
        }
        else
        {
            flags.ShouldBeEmpty();
        }
    }

    [Fact]
    public void Each_countys_share_of_four_stars_and_above_counts_the_levels_held_at_the_end_of_the_year()
    {
        // 640424 has 8 schools: 001 awarded 4 in 2023 and still holding it, 002 awarded 5 in 2025, 003 awarded 4 in 2026
        // (after the year), 004 awarded 4 and then taken away; 2 of 8 = 25%. 640425's 10 schools hold none.
        LevelEntry[] register = [.. Register("2023:4", "001"), .. Register("2025:5", "002"), .. Register("2026:4", "003"), .. Register("2022:4,2024:R", "004")];

        var shares = ProgrammeReport.Build(2025, [], Defaults, register: register, schools: new Dictionary<string, int> { [County] = 8, ["640425"] = 10 }).FourStarShare;

        shares.Select(s => (s.CountyCode, s.Schools, string.Join(",", s.FourStarPlus), s.Share)).ShouldBe([(County, 8, "001,002", 0.25m), ("640425", 10, "", 0m)]);
    }

    [Fact]
    public void Thresholds_come_from_settings()
    {
        var settings = new ProgrammeSettings { ThreeStarShare = 0.5m, YearsWithoutAdvance = 2 };
        SchoolRating[] ratings = [Bureau("001", 3), Bureau("002", 2)];

        var report = ProgrammeReport.Build(2025, ratings, settings, register: Register("2023:3"));

        report.ThreeStarShare.Single().Status.ShouldBe(RuleStatus.Met); // 1 of 2 = 50%
        report.Demotions.ShouldHaveSingleItem().Levels.Count.ShouldBe(3);
    }
}
