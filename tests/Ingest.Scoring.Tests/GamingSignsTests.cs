using System.Globalization;
using Ingest.Core.Sheets;
using Ingest.Scoring.Claims;

namespace Ingest.Scoring.Tests;

/// <summary>期末突击 on series small enough to check on paper.</summary>
public class GamingSignsTests
{
    private static readonly DateOnly First = new(2024, 3, 4);

    [Fact]
    public void The_median_of_an_even_number_of_weeks_is_the_mean_of_the_middle_two_and_the_last_weeks_are_the_countys_last_teaching_weeks()
    {
        // The county teaches in weeks 0–5 and 7 (week 6 a holiday); the school: 1, 1, 2, 2, 4, 4 and, after the break, 9.
        var county = Fact("640424", Enumerable.Range(0, 8).Where(w => w != 6).ToDictionary(w => w, _ => 10m));
        var school = Fact("2164240003", new() { [0] = 1, [1] = 1, [2] = 2, [3] = 2, [4] = 4, [5] = 4, [7] = 9 });

        // Seven teaching weeks: 1 1 2 2 4 4 9, median 2. The last two (weeks 5 and 7): 13 lessons against 3 × 2 × 2 = 12.
        var surge = GamingSigns.Surge(school, county, new SurgeRule(Multiple: 3, Weeks: 2, MinimumLessons: 8)).ShouldNotBeNull();
        (surge.Median, surge.LastWeeksLessons, surge.Threshold).ShouldBe((2m, 13m, 12m));
        surge.LastWeeks.ShouldBe([First.AddDays(35), First.AddDays(49)]);

        // One more teaching week of the county with nothing at the school: 0 1 1 2 2 4 4 9, median 2 again, the last two 4 + 9.
        var longer = Fact("640424", Enumerable.Range(0, 9).Where(w => w != 6).ToDictionary(w => w, _ => 10m));
        GamingSigns.Surge(school, longer, new SurgeRule(3, 2, 8)).ShouldBeNull("the last two weeks are now week 7 (9) and week 8 (0): 9 is not above 12");
    }

    [Fact]
    public void A_burst_below_the_minimum_or_a_series_shorter_than_the_window_is_no_surge()
    {
        var county = Fact("640424", Enumerable.Range(0, 6).ToDictionary(w => w, _ => 5m));
        var late = Fact("2164240002", new() { [4] = 3, [5] = 3 });
        GamingSigns.Surge(late, county, new SurgeRule(3, 2, 8)).ShouldBeNull("6 lessons over a median of 0, but fewer than 8");
        GamingSigns.Surge(late, county, new SurgeRule(3, 2, 6)).ShouldNotBeNull().LastWeeksLessons.ShouldBe(6);
        GamingSigns.Surge(late, county, new SurgeRule(3, 6, 0)).ShouldBeNull("six teaching weeks cannot show the last six against the rest");
        GamingSigns.Surge(Fact("2164240002", null), county, new SurgeRule()).ShouldBeNull("no series, no sign");
    }

    [Fact]
    public void Weeks_before_a_schools_first_lesson_are_not_its_baseline()
    {
        // The county teaches in weeks 0–9; the school's classroom opens in week 5 and holds 2 a week from then on.
        var county = Fact("640424", Enumerable.Range(0, 10).ToDictionary(w => w, _ => 10m));
        var opened = Fact("2104240028", Enumerable.Range(5, 5).ToDictionary(w => w, _ => 2m));

        // Over all ten weeks the median would be 1 (five 0s, five 2s) and 8 lessons would beat 1.5 × 1 × 4 = 6. From week 5
        // on the median is 2: 8 against 12, no surge.
        GamingSigns.Surge(opened, county, new SurgeRule(1.5m, 4, 8)).ShouldBeNull();

        // A school whose first lesson comes in the last four weeks had nothing before them: median 0, and 9 lessons are a surge.
        var crammed = Fact("2104240029", new() { [7] = 3, [8] = 3, [9] = 3 });
        var surge = GamingSigns.Surge(crammed, county, new SurgeRule(1.5m, 4, 8)).ShouldNotBeNull();
        (surge.Median, surge.LastWeeksLessons, surge.Series.Count).ShouldBe((0m, 9m, 4));
    }

    private static FactEvidence Fact(string org, Dictionary<int, decimal>? weeks)
    {
        var detail = weeks is null ? null
            : "{\"weeks\":{" + string.Join(',', weeks.Select(w => string.Create(CultureInfo.InvariantCulture, $"\"{First.AddDays(7 * w.Key):yyyy-MM-dd}\":{w.Value}"))) + "}}";
        return new FactEvidence(org, GamingSigns.LessonsIndicator, "2023-2024", "progress", weeks?.Values.Sum(), null, null, detail, 1, DateTimeOffset.UnixEpoch);
    }
}
