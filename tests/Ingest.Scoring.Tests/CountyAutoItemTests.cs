using System.Globalization;
using Ingest.Core.Sheets;
using Ingest.Scoring.Sheets;
using static Ingest.Scoring.Tests.Given;

namespace Ingest.Scoring.Tests;

/// <summary>Every auto item of the county standard, with values read off docs/domain.md and the item text (county cycle 2024).</summary>
public class CountyAutoItemTests
{
    private const string CalendarYear = "2024";
    private const string SchoolYear = "2023-2024";
    private const string Export = "2024-12-31";

    [Theory]
    [InlineData("[\"2164240002\"]", "[]")]
    [InlineData("[\"2164240002\"]", "[\"2164240003\"]")]  // a known failure decides it whatever the others report
    public void A1_2_a_unit_school_lacking_terminals_in_a_teaching_class_gives_0(string shortOf, string notReported)
    {
        var detail = $$"""{"unitSchools": 4, "unitSchoolsShort": {{shortOf}}, "unitSchoolsNotReported": {{notReported}}}""";

        var outcome = Auto(CountyRubric, "A1.2", CountyContext(Ratio(County, "progress.multimedia_class_coverage", Export, 90, 100, detail)));

        outcome.Score.ShouldBe(0);
        outcome.OnSite.ShouldBeFalse();
    }

    [Fact]
    public void A1_2_every_teaching_class_covered_waits_for_on_site_confirmation_of_labs_and_function_rooms()
    {
        // The export covers teaching classes only; 实验室、功能教室 must be seen on site before the 2 points are given.
        var detail = """{"unitSchools": 4, "unitSchoolsShort": [], "unitSchoolsNotReported": []}""";

        var outcome = Auto(CountyRubric, "A1.2", CountyContext(Ratio(County, "progress.multimedia_class_coverage", Export, 100, 100, detail)));

        outcome.Score.ShouldBeNull();
        outcome.OnSite.ShouldBeTrue();
        outcome.Evidence.Single().Indicator.ShouldBe("progress.multimedia_class_coverage");
        outcome.Reason!.ShouldContain("实验室、功能教室");
    }

    [Fact]
    public void A1_2_waiting_for_on_site_confirmation_is_pending_in_every_column_and_takes_a_score_without_a_reason()
    {
        var detail = """{"unitSchools": 4, "unitSchoolsShort": [], "unitSchoolsNotReported": []}""";
        var auto = AutoScorer.Prefill(CountyRubric, CountyContext(Ratio(County, "progress.multimedia_class_coverage", Export, 100, 100, detail)));
        var target = Target(CountyRubric, "A1.2");

        var line = SheetScorer.Score(CountyRubric, auto, Column.Bureau, []).Items.Single(i => i.Item.Number == "A1.2");
        var error = SheetScorer.Validate(target, new EntryValue(2, null, null, null), auto["A1.2"]);

        line.Status.ShouldBe(LineStatus.Pending);
        line.Score.ShouldBe(0);
        error.ShouldBeNull();
    }

    [Fact]
    public void A1_2_with_schools_not_reporting_and_none_failing_is_not_computable()
    {
        var detail = """{"unitSchools": 4, "unitSchoolsShort": [], "unitSchoolsNotReported": ["2164240002"]}""";

        var outcome = Auto(CountyRubric, "A1.2", CountyContext(Ratio(County, "progress.multimedia_class_coverage", Export, 90, 100, detail)));

        outcome.Computable.ShouldBeFalse();
        outcome.OnSite.ShouldBeFalse();
    }

    [Theory]
    [InlineData(10050, 100, 4)]  // 100.5 against 100: within ±1%, A2.1 scores 等于 as its own band
    [InlineData(10101, 100, 5)]
    public void A2_1_keeps_the_equal_band(int points, int teachers, int expected)
    {
        Auto(CountyRubric, "A2.1", CountyContext(
            Ratio(County, "cloud.app_index", CalendarYear, points, teachers),
            Region("cloud.app_index", CalendarYear, 1_000_000, 10_000))).Score.ShouldBe(expected);
    }

    [Theory]
    [InlineData("[]", 2)]
    [InlineData("[\"2164240005\"]", 0)]
    public void A1_3_an_interactive_classroom_in_every_unit_school_gives_2(string without, int expected)
    {
        var detail = $$"""{"unitSchools": 4, "unitSchoolsWithClassroom": 3, "unitSchoolsWithout": {{without}}}""";

        var outcome = Auto(CountyRubric, "A1.3", CountyContext(Value(County, "progress.interactive_classrooms", CalendarYear, 7, detail)));

        outcome.Score.ShouldBe(expected);
    }

    [Theory]
    [InlineData(9, 10, 4)]     // 90%
    [InlineData(17, 19, 3)]    // 89.47%
    [InlineData(3, 5, 3)]      // 60%
    [InlineData(5, 9, 2)]      // 55.6%
    public void A1_4_smart_campus_activation_of_unit_schools_in_bands(int opened, int unitSchools, int expected)
    {
        Auto(CountyRubric, "A1.4", CountyContext(Ratio(County, "cloud.smart_campus_opened", SchoolYear, opened, unitSchools))).Score.ShouldBe(expected);
    }

    [Theory]
    [InlineData(10200, 100, 5)]
    [InlineData(9950, 100, 4)]   // 99.5 against 100: within ±1%
    [InlineData(9900, 100, 4)]   // the lower edge
    [InlineData(9899, 100, 3)]
    public void A2_1_application_index_against_the_region(int points, int teachers, int expected)
    {
        Auto(CountyRubric, "A2.1", CountyContext(
            Ratio(County, "cloud.app_index", CalendarYear, points, teachers),
            Region("cloud.app_index", CalendarYear, 1_000_000, 10_000))).Score.ShouldBe(expected);
    }

    [Fact]
    public void A2_1_equal_band_follows_the_configured_tolerance()
    {
        var settings = new ScoringSettings { RegionEqualTolerance = 0.05m };

        var outcome = Auto(CountyRubric, "A2.1", CountyContext(settings,
            Ratio(County, "cloud.app_index", CalendarYear, 10400, 100),
            Region("cloud.app_index", CalendarYear, 1_000_000, 10_000)));

        outcome.Score.ShouldBe(4);
        outcome.Settings.Single().ShouldContain("±5");
    }

    [Theory]
    [InlineData("cloud.space_active_rate", "A2.2")]
    [InlineData("cloud.assistant_use_rate", "A2.4")]
    [InlineData("cloud.app_use_rate", "A2.6")]
    public void A2_rates_band_at_80_and_60_percent_read_exactly(string indicator, string item)
    {
        // 0.5999, 0.6, 0.7999, 0.8 of 10,000 teachers.
        int[] active = [5999, 6000, 7999, 8000];
        var scores = active.Select(n => Auto(CountyRubric, item, CountyContext(Ratio(County, indicator, CalendarYear, n, 10000))).Score);

        scores.ShouldBe([2m, 3m, 3m, 4m]);
    }

    [Fact]
    public void A2_2_a_rate_of_79_996_percent_is_below_80()
    {
        Auto(CountyRubric, "A2.2", CountyContext(Ratio(County, "cloud.space_active_rate", CalendarYear, 19999, 25000))).Score.ShouldBe(3);
    }

    [Theory]
    [InlineData(5999, 1000, 2)]   // 5.999 per teacher
    [InlineData(6000, 1000, 3)]
    [InlineData(3000, 1000, 2)]
    [InlineData(2999, 1000, 1)]
    public void A3_2_resources_shared_per_teacher_in_bands(int shared, int teachers, int expected)
    {
        Auto(CountyRubric, "A3.2", CountyContext(Ratio(County, "cloud.resources_shared_per_teacher", CalendarYear, shared, teachers))).Score.ShouldBe(expected);
    }

    [Theory]
    [InlineData(30, 10, 5)]   // 3.0 against the region's 2.5
    [InlineData(25, 10, 4)]
    [InlineData(20, 10, 3)]
    public void A3_4_classroom_application_index_against_the_region(int sessions, int classrooms, int expected)
    {
        Auto(CountyRubric, "A3.4", CountyContext(
            Ratio(County, "progress.classroom_app_index", CalendarYear, sessions, classrooms),
            Region("progress.classroom_app_index", CalendarYear, 250, 100))).Score.ShouldBe(expected);
    }

    [Fact]
    public void A3_4_is_not_computable_when_a_county_of_the_region_has_no_value()
    {
        var outcome = Auto(CountyRubric, "A3.4", CountyContext(
            Ratio(County, "progress.classroom_app_index", CalendarYear, 30, 10),
            Region("progress.classroom_app_index", CalendarYear, 250, 100, unknown: 1)));

        outcome.Reason.ShouldBe("全区数值不完整：2024年有 1 个县（区）没有数值");
    }

    [Theory]
    [InlineData(9499, 10000, 2)]
    [InlineData(9500, 10000, 3)]
    [InlineData(8000, 10000, 2)]
    [InlineData(7999, 10000, 1)]
    public void A4_3_literacy_pass_rate_bands_at_95_and_80_percent(int passed, int assessed, int expected)
    {
        Auto(CountyRubric, "A4.3", CountyContext(Ratio(County, "cloud.literacy_pass_rate", CalendarYear, passed, assessed))).Score.ShouldBe(expected);
    }

    [Fact]
    public void A4_4_course_communities_covering_every_listed_subject_give_1()
    {
        var all = "[" + string.Join(", ", ScoringSettings.CompulsorySubjects.Append("书法").Select(s => $"\"{s}\"")) + "]";
        var withoutLabour = "[" + string.Join(", ", ScoringSettings.CompulsorySubjects.Where(s => s != "劳动").Select(s => $"\"{s}\"")) + "]";

        Auto(CountyRubric, "A4.4/allSubjects", CountyContext(Value(County, "cloud.course_community_subjects", SchoolYear, 16, all))).Score.ShouldBe(1);
        var missing = Auto(CountyRubric, "A4.4/allSubjects", CountyContext(Value(County, "cloud.course_community_subjects", SchoolYear, 14, withoutLabour)));
        missing.Score.ShouldBe(0);
        missing.Summary.ShouldBe("1 个学科没有课程社区：劳动");
    }

    [Fact]
    public void A4_4_subject_list_comes_from_configuration()
    {
        var settings = new ScoringSettings { Subjects = ["语文", "数学"] };

        Auto(CountyRubric, "A4.4/allSubjects", CountyContext(settings, Value(County, "cloud.course_community_subjects", SchoolYear, 2, "[\"数学\", \"语文\"]")))
            .Score.ShouldBe(1);
    }

    [Theory]
    [InlineData(8, 3)]
    [InlineData(7, 2)]
    [InlineData(4, 2)]
    [InlineData(3, 1)]
    public void A4_5_active_famous_teacher_studios_in_bands(int studios, int expected)
    {
        Auto(CountyRubric, "A4.5", CountyContext(Value(County, "cloud.active_famous_teacher_studios", SchoolYear, studios))).Score.ShouldBe(expected);
    }

    [Theory]
    [InlineData("progress.security_system", "A5.5/security")]
    [InlineData("progress.one_click_alarm", "A5.5/alarm")]
    public void A5_5_security_and_alarm_in_every_unit_school_give_1_each(string indicator, string target)
    {
        Auto(CountyRubric, target, CountyContext(Value(County, indicator, Export, 4, """{"unitSchools": 4, "yes": 4, "no": [], "notReported": []}""")))
            .Score.ShouldBe(1);
        Auto(CountyRubric, target, CountyContext(Value(County, indicator, Export, null, """{"unitSchools": 4, "yes": 2, "no": ["2164240002"], "notReported": ["2164240003"]}""")))
            .Score.ShouldBe(0);
        Auto(CountyRubric, target, CountyContext(Value(County, indicator, Export, null, """{"unitSchools": 4, "yes": 3, "no": [], "notReported": ["2164240003"]}""")))
            .Computable.ShouldBeFalse();
    }

    [Fact]
    public void Periods_follow_the_county_cycle()
    {
        var context = CountyContext();

        context.PeriodOf(Rubrics.PeriodRole.CalendarYear).ShouldBe("2024");
        context.PeriodOf(Rubrics.PeriodRole.SchoolYear).ShouldBe("2023-2024");
        context.PeriodOf(Rubrics.PeriodRole.Export).ShouldBe(string.Create(CultureInfo.InvariantCulture, $"{2024}-12-31"));
    }
}
