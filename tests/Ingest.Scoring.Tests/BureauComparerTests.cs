using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Scoring.Oversight;
using Ingest.Scoring.Sheets;

namespace Ingest.Scoring.Tests;

/// <summary>A bureau's column against the data, on a sheet small enough to add up by hand.</summary>
public class BureauComparerTests
{
    [Fact]
    public void A_bureau_that_gives_full_points_where_the_data_gives_none_is_two_levels_above_it_and_flagged()
    {
        // The data scores every pre-filled line 0; the bureau gives every line of the form its full points: 100, 五星级. On the
        // data the pre-filled lines are worth nothing, so the total is 100 less their points, and the ★ lines among them stop at
        // 三星级 whatever the total: two levels below.
        var rubric = Given.SchoolRubric;
        var targets = rubric.Items.SelectMany(i => i.Targets).ToArray();
        var auto = targets.Where(t => t.IsAuto).ToDictionary(t => t.Key, _ => new AutoOutcome(0, null, [], [], "网上数据"));
        var entries = targets.Select((t, i) => new EntryLog(i + 1, new Entry(t.Key, Column.Bureau, new EntryValue(t.Points, null, null, "现场核查"), "李老师", Given.At), null, t.Points, null))
            .ToArray();
        var sheet = new Scoresheet(1, "2164240001", "城关一小", "640424", rubric, new EvaluationCycle(RubricKind.School, 2024), Given.SchoolCycle, null, Given.At, [],
            auto, entries, []);
        var prefilled = targets.Where(t => t.IsAuto).Sum(t => t.Points);

        var school = BureauComparer.Compare(sheet, new OversightRules());
        (school.BureauTotal, school.BureauStars!.Stars).ShouldBe((100m, 5));
        (school.DataTotal, school.DataStars!.Stars).ShouldBe((100 - prefilled, 3));
        school.Overrides.Count.ShouldBe(auto.Count);
        school.Overrides.ShouldAllBe(o => o.DataScore == 0 && o.Delta == o.Points && o.By == "李老师" && o.Reason == "现场核查");
        (school.Beyond, school.Under, school.LevelsAbove, school.FarAbove).ShouldBe((prefilled, 0m, 2, true));
        BureauComparer.Compare(sheet, new OversightRules(FarAboveLevels: 3)).FarAbove.ShouldBeFalse("two levels, where three are asked for");
        BureauComparer.Compare(sheet, new OversightRules(FarAboveTotal: 100.5m)).FarAbove.ShouldBeFalse("rated below the total asked for");
    }
}
