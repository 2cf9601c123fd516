using Ingest.Core.Periods;
using Ingest.Scoring.Rubrics;

namespace Ingest.Scoring.Tests;

public class RubricLibraryTests
{
    [Fact]
    public void School_standard_has_64_items_in_six_areas_of_15_15_40_10_10_10()
    {
        var rubric = Given.SchoolRubric;

        rubric.Kind.ShouldBe(RubricKind.School);
        rubric.Items.Select(i => i.Number).ShouldBe(Enumerable.Range(1, 64).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        rubric.Areas.Select(a => (a.Name, a.Points)).ShouldBe(
            [("基础设施", 15m), ("数字资源", 15m), ("融合应用", 40m), ("师生能力与发展", 10m), ("保障体系", 10m), ("示范成果", 10m)]);
        rubric.Total.ShouldBe(100);
    }

    [Fact]
    public void School_veto_items_are_the_starred_ones_of_the_document()
    {
        Given.SchoolRubric.VetoItems.Select(i => i.Number).ShouldBe(["3", "16", "19", "21", "23", "25", "43", "48", "54"]);
        Given.SchoolRubric.VetoFromStars.ShouldBe(4);
        Given.SchoolRubric.StarLevels.Select(l => (l.Stars, l.Min)).ShouldBe([(5, 95m), (4, 90m), (3, 80m), (2, 70m)]);
    }

    [Fact]
    public void School_items_keep_the_documents_text_and_points()
    {
        var rubric = Given.SchoolRubric;

        var item23 = rubric.Find("23")!;
        item23.Text.ShouldBe("★宁夏教育云应用指数（学校所有教师年度积分之和÷教师用户总人数）高于全区平均水平。");
        item23.Points.ShouldBe(2);
        item23.Group.ShouldBe("教学应用");
        rubric.Find("16")!.Points.ShouldBe(5);
        rubric.Find("30")!.Points.ShouldBe(5);
        rubric.Find("54")!.Points.ShouldBe(2);
        rubric.Find("64")!.Rule.ShouldBeOfType<FlagRule>().OverridesArea.ShouldBeTrue();
    }

    [Fact]
    public void School_auto_items_are_those_DOMAIN_names_and_the_counts_are_entered()
    {
        var rubric = Given.SchoolRubric;
        var auto = rubric.Items.SelectMany(i => i.Targets).Where(t => t.IsAuto).Select(t => t.Key);
        auto.ShouldBe(["4", "16/uploads", "16/shared", "17", "19", "20", "21", "23", "25", "46", "48"]);

        var counted = rubric.Items.Where(i => i.Targets.All(t => t.Entry == EntryKind.Counts)).Select(i => i.Number);
        counted.ShouldBe(["30", "31", "42", "61", "62", "63"]);
    }

    [Fact]
    public void County_standard_has_areas_A1_to_A6_and_a_bonus_capped_at_10()
    {
        var rubric = Given.CountyRubric;

        rubric.Kind.ShouldBe(RubricKind.County);
        rubric.Areas.Select(a => (a.Code, a.Points, a.Bonus)).ShouldBe(
            [("A1", 10m, false), ("A2", 30m, false), ("A3", 20m, false), ("A4", 15m, false), ("A5", 15m, false), ("A6", 10m, false), ("B", 10m, true)]);
        rubric.Total.ShouldBe(100);
        rubric.Items.Count.ShouldBe(39);
        rubric.StarLevels.ShouldBeEmpty();
    }

    [Fact]
    public void County_auto_items_are_those_DOMAIN_names()
    {
        var auto = Given.CountyRubric.Items.SelectMany(i => i.Targets).Where(t => t.IsAuto).Select(t => t.Key);

        auto.ShouldBe(["A1.1", "A1.2", "A1.3", "A1.4", "A2.1", "A2.2", "A2.4", "A2.6", "A3.2", "A3.4", "A4.3", "A4.4/allSubjects", "A4.5",
            "A5.5/security", "A5.5/alarm"]);
    }

    [Fact]
    public void County_item_text_is_the_documents()
    {
        var item = Given.CountyRubric.Find("A3.2")!;

        item.Text.ShouldBe("辖区教师发布到自治区平台的资源达到人均6件/年得3分，5～3件/年得2分，低于3件/年得1分。（共3分）");
        item.Points.ShouldBe(3);
        Given.CountyRubric.Find("A2.7")!.Rule.ShouldBeOfType<CountsRule>().Cap.ShouldBe(5);
    }
}
