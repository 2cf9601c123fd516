using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Scoring.Remediation;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;

namespace Ingest.Scoring.Tests;

/// <summary>A school's gap plan on sheets added up by hand: what each line would recover, in the order that reaches the target.</summary>
public class GapPlanTests
{
    [Fact]
    public void A_school_at_89_5_with_an_unmet_star_item_is_told_the_star_item_first_and_each_line_with_what_it_recovers()
    {
        // The bureau gives every line its full points but four: 30 at 3.5 of 5, 22 not yet scored, and the data's 0 on 17 and
        // 19★ (3 points each). 100 − 1.5 − 3 − 3 − 3 = 89.5: 三星级, half a point short of 四星级, which 19★ also blocks.
        var rubric = Given.SchoolRubric;
        var targets = rubric.Items.SelectMany(i => i.Targets).ToArray();
        var auto = targets.Where(t => t.IsAuto).ToDictionary(t => t.Key, t => new AutoOutcome(t.Points, null, [], [], "网上数据达到"));
        auto["17"] = new AutoOutcome(0, null, [], [], "师均上传资源 2.1件，未达到 10件");
        auto["19"] = new AutoOutcome(0, null, [], [], "开课节数 12节，未达到 20节");
        var entries = targets.Where(t => !t.IsAuto && t.Key != "22").Select((t, i) => new EntryLog(i + 1,
            new Entry(t.Key, Column.Bureau, t.Key == "30" ? new EntryValue(3.5m, null, null, null) : Full(t), "李老师", Given.At), null, null, null)).ToArray();
        var sheet = Sheet(auto, entries);
        sheet.Column(Column.Bureau).Total.ShouldBe(89.5m);

        var plan = GapPlanner.Plan(sheet, Column.Bureau, applied: null);
        (plan.Stars, plan.TargetStars, plan.TargetMin, plan.Missing).ShouldBe((3, 4, 90m, 0.5m));
        plan.UnmetVeto.ShouldBe(["19"]);
        plan.Lines.Select(l => (l.Number, l.Recovers, l.Blocks)).ShouldBe([("19", 3m, true), ("17", 3m, false), ("30", 1.5m, false)]);
        plan.Lines[0].Text.ShouldBe("★19 " + plan.Lines[0].Name + " 开课节数 12节，未达到 20节 +3分");
        plan.Lines[2].Figure.ShouldBeNull("a line a person scores has no figure");
        plan.Waiting.Select(l => l.Number).ShouldBe(["22"]);
        plan.Recoverable.ShouldBe(7.5m);
        plan.Headline.ShouldBe("距四星级0.5分，★项未达标 1 项：" + plan.Lines[0].Text);

        // Applying for 五星级 (95): 5.5 points, and 19★ — the two largest lines are needed.
        var five = GapPlanner.Plan(sheet, Column.Bureau, applied: 5);
        (five.TargetStars, five.Missing).ShouldBe((5, 5.5m));
        five.Headline.ShouldBe($"距五星级5.5分，★项未达标 1 项：{five.Lines[0].Text}；{five.Lines[1].Text}");
    }

    [Fact]
    public void What_the_lines_recover_together_never_passes_what_the_areas_caps_leave()
    {
        // Nothing scored: every pre-filled line 0, every other line 0. 示范成果 lists 20 points of items under a cap of 10.
        var rubric = Given.SchoolRubric;
        var targets = rubric.Items.SelectMany(i => i.Targets).ToArray();
        var auto = targets.Where(t => t.IsAuto).ToDictionary(t => t.Key, _ => new AutoOutcome(0, null, [], [], "网上数据"));
        var entries = targets.Where(t => !t.IsAuto).Select((t, i) => new EntryLog(i + 1, new Entry(t.Key, Column.Bureau, Zero(t), "李老师", Given.At), null, null, null))
            .ToArray();
        var plan = GapPlanner.Plan(Sheet(auto, entries), Column.Bureau, applied: 2);
        plan.Total.ShouldBe(0m);
        plan.Recoverable.ShouldBe(100m, "100 − 0, however much the 示范成果 lines list");
        plan.Lines.Where(l => l.Number.StartsWith('6') && l.Number.Length == 2).Sum(l => l.Recovers).ShouldBeGreaterThan(10m);
        (plan.TargetStars, plan.Missing).ShouldBe((2, 70m), "二星级 is 70 points and above");
    }

    private static Scoresheet Sheet(Dictionary<string, AutoOutcome> auto, EntryLog[] entries) =>
        new(1, "2164240001", "城关一小", "640424", Given.SchoolRubric, new EvaluationCycle(RubricKind.School, 2024), Given.SchoolCycle, null, Given.At, [], auto, entries,
            new[] { Column.Self, Column.Bureau, Column.Department }.Select(c => SheetScorer.Score(Given.SchoolRubric, auto, c, entries.Select(e => e.Entry))).ToArray());

    private static EntryValue Full(Ingest.Scoring.Rubrics.ScoreTarget t) => t.Entry switch
    {
        EntryKind.Counts => new EntryValue(null, t.CountSpecs.ToDictionary(c => c.Key, c => c.Each > 0 ? (int)Math.Ceiling(t.Points / c.Each) : 1000), null, null),
        EntryKind.Flag => new EntryValue(null, null, false, null),
        _ => new EntryValue(t.Points, null, null, null),
    };

    private static EntryValue Zero(Ingest.Scoring.Rubrics.ScoreTarget t) => t.Entry switch
    {
        EntryKind.Counts => new EntryValue(null, t.CountSpecs.ToDictionary(c => c.Key, _ => 0), null, null),
        EntryKind.Flag => new EntryValue(null, null, false, null),
        _ => new EntryValue(0, null, null, null),
    };
}
