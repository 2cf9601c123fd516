using static Ingest.Scoring.Tests.Given;

namespace Ingest.Scoring.Tests;

/// <summary>Every auto item of the school standard, with values read off docs/domain.md and the item text (school cycle 2024).</summary>
public class SchoolAutoItemTests
{
    private const string SchoolYear = "2023-2024";
    private const string CalendarYear = "2023";

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(3, 1)]
    public void Item4_one_enabled_interactive_classroom_gives_1(int classrooms, int expected)
    {
        var outcome = Auto(SchoolRubric, "4", SchoolContext(Value(School, "progress.interactive_classrooms", SchoolYear, classrooms)));

        outcome.Score.ShouldBe(expected);
        outcome.Evidence.Single().Period.ShouldBe(SchoolYear);
    }

    [Theory]
    [InlineData(399, 40, 0)]   // 9.975 per teacher
    [InlineData(400, 40, 1)]   // exactly 10
    public void Item16_uploads_per_teacher_of_10_give_1(int uploads, int teachers, int expected)
    {
        Auto(SchoolRubric, "16/uploads", SchoolContext(Ratio(School, "cloud.resources_uploaded_per_teacher", SchoolYear, uploads, teachers)))
            .Score.ShouldBe(expected);
    }

    [Theory]
    [InlineData(199, 40, 0)]   // 4.975 per teacher
    [InlineData(200, 40, 2)]   // exactly 5
    public void Item16_shared_to_the_region_per_teacher_of_5_give_2(int shared, int teachers, int expected)
    {
        Auto(SchoolRubric, "16/shared", SchoolContext(Ratio(School, "cloud.resources_shared_per_teacher", SchoolYear, shared, teachers)))
            .Score.ShouldBe(expected);
    }

    [Theory]
    [InlineData(24, 100, 0)]
    [InlineData(25, 100, 3)]   // exactly 1/4
    [InlineData(1, 4, 3)]
    public void Item17_micro_lectures_for_a_quarter_of_knowledge_points_give_3(int covered, int total, int expected)
    {
        Auto(SchoolRubric, "17", SchoolContext(Ratio(School, "cloud.kp_microlecture_coverage", SchoolYear, covered, total))).Score.ShouldBe(expected);
    }

    [Fact]
    public void Item17_with_no_knowledge_points_is_not_computable_rather_than_0()
    {
        var outcome = Auto(SchoolRubric, "17", SchoolContext(Ratio(School, "cloud.kp_microlecture_coverage", SchoolYear, 0, 0)));

        outcome.Computable.ShouldBeFalse();
        outcome.Reason.ShouldBe("2164240001 2023-2024学年的知识点微课覆盖率无法计算：分母为 0");
    }

    [Theory]
    [InlineData(19, 0)]
    [InlineData(20, 3)]
    public void Item19_twenty_theme_moocs_give_3(int moocs, int expected)
    {
        Auto(SchoolRubric, "19", SchoolContext(Value(School, "cloud.theme_moocs", SchoolYear, moocs))).Score.ShouldBe(expected);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 2)]
    public void Item20_two_family_education_lessons_give_2(int lessons, int expected)
    {
        Auto(SchoolRubric, "20", SchoolContext(Value(School, "cloud.family_education_lessons", SchoolYear, lessons))).Score.ShouldBe(expected);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    public void Item21_an_opened_portal_gives_1(int opened, int expected)
    {
        Auto(SchoolRubric, "21", SchoolContext(Value(School, "cloud.portal_opened", SchoolYear, opened))).Score.ShouldBe(expected);
    }

    [Theory]
    [InlineData(10050, 100, 2)]  // 100.5 against the region's 100: 0.5% above, strictly higher (no ±1% band here)
    [InlineData(10001, 100, 2)]  // 100.01: still higher
    [InlineData(10000, 100, 0)]  // equal to the region is not higher
    [InlineData(9800, 100, 0)]   // lower
    public void Item23_application_index_strictly_higher_than_the_region_gives_2(int points, int teachers, int expected)
    {
        var outcome = Auto(SchoolRubric, "23", SchoolContext(
            Ratio(School, "cloud.app_index", CalendarYear, points, teachers),
            Region("cloud.app_index", CalendarYear, 1_000_000, 10_000)));

        outcome.Score.ShouldBe(expected);
        outcome.Evidence.Select(e => e.OrgCode).ShouldBe([School, "640000"]);
        outcome.Settings.ShouldBeEmpty();
    }

    [Fact]
    public void Item23_is_not_computable_while_the_region_misses_a_county()
    {
        var outcome = Auto(SchoolRubric, "23", SchoolContext(
            Ratio(School, "cloud.app_index", CalendarYear, 20000, 100),
            Region("cloud.app_index", CalendarYear, 1_000_000, 10_000, counties: 21)));

        outcome.Computable.ShouldBeFalse();
        outcome.Reason.ShouldBe("全区数值不完整：2023年只采集了 22 个县（区）中的 21 个");
    }

    [Theory]
    [InlineData("4.9999", 0)]
    [InlineData("5", 3)]
    public void Item25_five_online_lessons_a_week_give_3(string perWeek, int expected)
    {
        Auto(SchoolRubric, "25", SchoolContext(Value(School, "progress.online_lessons_per_week", SchoolYear, decimal.Parse(perWeek, System.Globalization.CultureInfo.InvariantCulture))))
            .Score.ShouldBe(expected);
    }

    [Theory]
    [InlineData(5999, 10000, 0)]  // 59.99%
    [InlineData(6000, 10000, 1)]  // 60%
    public void Item46_sixty_percent_of_students_active_in_spaces_gives_1(int active, int eligible, int expected)
    {
        Auto(SchoolRubric, "46", SchoolContext(Ratio(School, "cloud.student_space_active_rate", SchoolYear, active, eligible))).Score.ShouldBe(expected);
    }

    [Theory]
    [InlineData(3015, 10000, 1)]  // 30.15% against the region's 30%: 0.5% above, strictly higher
    [InlineData(3000, 10000, 0)]  // equal
    [InlineData(2999, 10000, 0)]
    public void Item48_literacy_excellent_rate_strictly_higher_than_the_region_gives_1(int excellent, int assessed, int expected)
    {
        Auto(SchoolRubric, "48", SchoolContext(
            Ratio(School, "cloud.literacy_excellent_rate", CalendarYear, excellent, assessed),
            Region("cloud.literacy_excellent_rate", CalendarYear, 3000, 10000))).Score.ShouldBe(expected);
    }

    [Fact]
    public void A_fact_never_ingested_is_not_computable_with_the_reason()
    {
        var outcome = Auto(SchoolRubric, "19", SchoolContext());

        outcome.Computable.ShouldBeFalse();
        outcome.Reason.ShouldBe("尚未采集 2164240001 2023-2024学年的主题优质慕课数");
    }
}
