using Ingest.Core.Sheets;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;
using static Ingest.Scoring.Tests.Given;

namespace Ingest.Scoring.Tests;

public class SheetScorerTests
{
    private const string SchoolYear = "2023-2024";
    private const string CalendarYear = "2023";

    /// <summary>Facts under which every auto item of the school standard has its full points.</summary>
    private static readonly FactEvidence[] FullFacts =
    [
        Value(School, "progress.interactive_classrooms", SchoolYear, 2),
        Ratio(School, "cloud.resources_uploaded_per_teacher", SchoolYear, 500, 40),
        Ratio(School, "cloud.resources_shared_per_teacher", SchoolYear, 240, 40),
        Ratio(School, "cloud.kp_microlecture_coverage", SchoolYear, 30, 100),
        Value(School, "cloud.theme_moocs", SchoolYear, 243),
        Value(School, "cloud.family_education_lessons", SchoolYear, 4),
        Value(School, "cloud.portal_opened", SchoolYear, 1),
        Ratio(School, "cloud.app_index", CalendarYear, 12000, 40),
        Region("cloud.app_index", CalendarYear, 2_000_000, 10_000),
        Value(School, "progress.online_lessons_per_week", SchoolYear, 6.06m),
        Ratio(School, "cloud.student_space_active_rate", SchoolYear, 700, 1000),
        Ratio(School, "cloud.literacy_excellent_rate", CalendarYear, 20, 40),
        Region("cloud.literacy_excellent_rate", CalendarYear, 3000, 10000),
    ];

    private static readonly DateTimeOffset Now = new(2024, 8, 28, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The bulletin's 泾源县城关第一小学 case: on-site items entered so that the total is 94.5 with every ★ item at full
    /// points. Items 1, 9 and 22 are given 0 and item 10 half its point (5.5 points short of 100). The lines whose data
    /// covers only part of their item are confirmed on site at their full points.
    /// </summary>
    private static List<Entry> BulletinEntries(Column column)
    {
        var rubric = SchoolRubric;
        var entries = new List<Entry>();
        var shortOf = new Dictionary<string, decimal> { ["1"] = 0, ["9"] = 0, ["10"] = 0.5m, ["22"] = 0 };
        foreach (var target in rubric.Items.SelectMany(i => i.Targets))
        {
            EntryValue? value = target.Entry switch
            {
                EntryKind.Score => new EntryValue(shortOf.GetValueOrDefault(target.Key, target.Points), null, null, null),
                EntryKind.Flag => new EntryValue(null, null, false, null),
                _ when target.ConfirmedOnSite => new EntryValue(target.Points, null, null, "现场确认"),
                _ => null,
            };
            if (value is not null)
            {
                entries.Add(new Entry(target.Key, column, value, "rater", Now));
            }
        }

        // 30: 12 awards × 0.5 = 6, capped at 5. 31: 8 papers × 0.5 = 4. 42: 2 projects. 61: 1 case + 1 commendation.
        // 62: a national case (2) + a national showcase (2) + a space award (1) = 5. 63: 2 articles + 2 visits × 0.5 = 3.
        Add("30", new Dictionary<string, int> { ["awards"] = 12 });
        Add("31", new Dictionary<string, int> { ["papers"] = 8 });
        Add("42", new Dictionary<string, int> { ["projects"] = 2 });
        Add("61", new Dictionary<string, int> { ["cases"] = 1, ["commendations"] = 1 });
        Add("62", new Dictionary<string, int> { ["nationalCase"] = 1, ["nationalShowcase"] = 1, ["spaceAward"] = 1 });
        Add("63", new Dictionary<string, int> { ["articles"] = 2, ["visits"] = 2 });
        return entries;

        void Add(string key, Dictionary<string, int> counts) => entries.Add(new Entry(key, column, new EntryValue(null, counts, null, null), "rater", Now));
    }

    private static ColumnResult Score(IEnumerable<Entry> entries, params FactEvidence[] facts)
    {
        var auto = AutoScorer.Prefill(SchoolRubric, SchoolContext(facts));
        return SheetScorer.Score(SchoolRubric, auto, Column.Bureau, entries);
    }

    [Fact]
    public void Bulletin_case_of_94_5_with_every_veto_item_full_is_four_stars()
    {
        var result = Score(BulletinEntries(Column.Bureau), FullFacts);

        result.Pending.ShouldBe(0);
        result.NotComputable.ShouldBe(0);
        result.Areas.Select(a => a.Score).ShouldBe([12.5m, 15m, 37m, 10m, 10m, 10m]);
        result.Total.ShouldBe(94.5m);
        result.Stars!.Stars.ShouldBe(4);
        result.Stars.UnmetVetoItems.ShouldBeEmpty();
        result.Stars.Provisional.ShouldBeFalse();
    }

    /// <summary>
    /// 21★ "…能够根据用户角色及权限不同设置个性化的信息资源和应用服务", 25★, 46 and 48★: the data covers only part of the text.
    /// Their pre-filled scores count, but the lines wait (待现场确认) and the level is provisional until a rater confirms them.
    /// </summary>
    [Fact]
    public void Lines_whose_data_covers_part_of_the_item_keep_their_score_and_wait_for_an_on_site_confirmation()
    {
        var confirmed = BulletinEntries(Column.Bureau);
        var unconfirmed = confirmed.Where(e => e.Value.Reason != "现场确认").ToList();

        var waiting = Score(unconfirmed, FullFacts);

        waiting.Items.SelectMany(i => i.Targets).Where(t => t.Status == LineStatus.Unconfirmed).Select(t => t.Target.Key).ShouldBe(["21", "25", "46", "48"]);
        waiting.Total.ShouldBe(94.5m);
        (waiting.Unconfirmed, waiting.Pending).ShouldBe((4, 4));
        waiting.Stars!.Stars.ShouldBe(4);
        waiting.Stars.Provisional.ShouldBeTrue();
        RaterText.Level(Column.Bureau, waiting.Stars).ShouldBe("拟申报四星级（待填）");
        LineText.Basis(waiting.Items.Single(i => i.Item.Number == "21").Targets[0]).ShouldContain("待现场确认：能够根据用户角色及权限不同设置个性化的信息资源和应用服务");

        var done = Score(confirmed, FullFacts);
        (done.Total, done.Pending, done.Stars!.Provisional).ShouldBe((94.5m, 0, false));
    }

    [Fact]
    public void Bulletin_case_with_one_veto_item_short_is_three_stars_and_names_it()
    {
        var entries = BulletinEntries(Column.Bureau);
        entries.Add(new Entry("43", Column.Bureau, new EntryValue(2.5m, null, null, null), "rater", Now.AddMinutes(1)));

        var result = Score(entries, FullFacts);

        result.Total.ShouldBe(94m);
        result.Stars!.ByTotal.ShouldBe(4);
        result.Stars.Stars.ShouldBe(3);
        result.Stars.Vetoed.ShouldBeTrue();
        result.Stars.UnmetVetoItems.ShouldBe(["43"]);
    }

    [Fact]
    public void A_veto_item_with_some_points_meets_the_veto_only_under_the_any_points_reading()
    {
        // ★43 at 2.5 of its points: short of full points (三星级 as the standard reads it), but scored (四星级 if "met" is any points).
        // ★23 at 0 (application index equal to the region's) holds back either reading.
        var entries = BulletinEntries(Column.Bureau);
        entries.Add(new Entry("43", Column.Bureau, new EntryValue(2.5m, null, null, null), "rater", Now.AddMinutes(1)));
        var auto = AutoScorer.Prefill(SchoolRubric, SchoolContext(FullFacts));

        var full = SheetScorer.Score(SchoolRubric, auto, Column.Bureau, entries);
        var any = SheetScorer.Score(SchoolRubric, auto, Column.Bureau, entries, StarItemReading.AnyPoints);

        (full.Stars!.Stars, full.Stars.OtherReading, full.Stars.UnmetVetoItems.Count).ShouldBe((3, 4, 1));
        (any.Stars!.Stars, any.Stars.OtherReading, any.Stars.UnmetVetoItems.Count).ShouldBe((4, 3, 0));

        var facts = FullFacts.Where(f => f.Indicator != "cloud.app_index" || f.OrgCode != School).Append(Ratio(School, "cloud.app_index", CalendarYear, 8000, 40)).ToArray();
        var zero = SheetScorer.Score(SchoolRubric, AutoScorer.Prefill(SchoolRubric, SchoolContext(facts)), Column.Bureau, BulletinEntries(Column.Bureau),
            StarItemReading.AnyPoints);
        (zero.Stars!.Stars, string.Join(",", zero.Stars.UnmetVetoItems)).ShouldBe((3, "23"));
    }

    [Fact]
    public void An_auto_veto_item_below_its_points_vetoes_too()
    {
        // Application index 200, exactly the region's 200: not higher, so item 23 gives 0.
        var facts = FullFacts.Where(f => f.Indicator != "cloud.app_index" || f.OrgCode != School)
            .Append(Ratio(School, "cloud.app_index", CalendarYear, 8000, 40)).ToArray();

        var result = Score(BulletinEntries(Column.Bureau), facts);

        result.Total.ShouldBe(92.5m);
        result.Stars!.Stars.ShouldBe(3);
        result.Stars.UnmetVetoItems.ShouldBe(["23"]);
    }

    [Theory]
    [InlineData(0, 3, 1)]  // three commendations: 表彰加1分 counts once
    [InlineData(1, 3, 2)]  // one case (每次加1分) and the commendation
    [InlineData(3, 0, 2)]  // three cases, capped at 2
    public void Item61_counts_cases_each_time_and_a_commendation_once(int cases, int commendations, decimal expected)
    {
        var target = Target(SchoolRubric, "61");

        SheetScorer.CountsScore(target, new Dictionary<string, int> { ["cases"] = cases, ["commendations"] = commendations }).ShouldBe(expected);
    }

    [Theory]
    [InlineData(0, 0, 0, 3, 1)]  // three regional showcases: the condition is met once, 1
    [InlineData(2, 0, 0, 0, 2)]  // two national cases: 2
    [InlineData(1, 1, 0, 1, 4)]  // 2 + 1 + 1
    [InlineData(1, 1, 1, 1, 5)]  // 2 + 1 + 2 + 1 = 6, capped at 5
    public void Item62_counts_each_condition_once_when_met_then_caps_at_5(int nationalCase, int spaceAward, int nationalShowcase, int regionShowcase, decimal expected)
    {
        var counts = new Dictionary<string, int>
        {
            ["nationalCase"] = nationalCase, ["spaceAward"] = spaceAward, ["nationalShowcase"] = nationalShowcase, ["regionShowcase"] = regionShowcase,
        };

        SheetScorer.CountsScore(Target(SchoolRubric, "62"), counts).ShouldBe(expected);
    }

    [Fact]
    public void Item63_still_counts_every_article_and_visit()
    {
        // 每篇加1分 … 每次加0.5分: per occurrence, unlike 61's commendation and 62.
        SheetScorer.CountsScore(Target(SchoolRubric, "63"), new Dictionary<string, int> { ["articles"] = 2, ["visits"] = 1 }).ShouldBe(2.5m);
    }

    [Theory]
    [InlineData(95, 5)]
    [InlineData(94.5, 4)]
    [InlineData(90, 4)]
    [InlineData(89.5, 3)]
    [InlineData(80, 3)]
    [InlineData(79.5, 2)]
    [InlineData(70, 2)]
    [InlineData(69.5, null)]
    public void Star_levels_start_at_95_90_80_70(double total, int? stars)
    {
        SheetScorer.Stars(SchoolRubric, [], (decimal)total, provisional: false).Stars.ShouldBe(stars);
    }

    /// <summary>
    /// 第十条: 二 to 五星级, no 一星级; the bureau decides 二、三星级 and a school its column puts higher is one it forwards.
    /// </summary>
    [Theory]
    [InlineData(96, "五星级", "拟申报五星级")]
    [InlineData(94.5, "四星级", "拟申报四星级")]
    [InlineData(85, "三星级", "三星级")]
    [InlineData(72, "二星级", "二星级")]
    [InlineData(65, "未达到星级", "未达到星级")]
    public void Levels_are_named_as_the_measures_name_them_and_the_bureau_never_awards_four_stars(double total, string level, string bureau)
    {
        var stars = SheetScorer.Stars(SchoolRubric, [], (decimal)total, provisional: false);
        (RaterText.Level(stars), RaterText.Level(Column.Bureau, stars), RaterText.Level(Column.Department, stars)).ShouldBe((level, bureau, level));
    }

    [Fact]
    public void Item64_sets_the_showcase_area_to_10_whatever_61_to_63_give()
    {
        var entries = BulletinEntries(Column.Bureau).Where(e => e.Target is not ("61" or "62" or "63" or "64")).ToList();
        entries.Add(new Entry("61", Column.Bureau, new EntryValue(null, new Dictionary<string, int> { ["cases"] = 1 }, null, null), "rater", Now));
        entries.Add(new Entry("64", Column.Bureau, new EntryValue(null, null, true, null), "rater", Now));

        var result = Score(entries, FullFacts);

        var showcase = result.Areas.Single(a => a.Area.Code == "6");
        showcase.Score.ShouldBe(10);
        showcase.OverriddenBy.ShouldBe("64");
        result.Pending.ShouldBe(2); // 62 and 63 still wait, but add nothing now
    }

    [Fact]
    public void Areas_are_capped_at_their_points()
    {
        // The county bonus: 3 national commendations × 2 + 5 showcases × 1 = 11, capped at 10 (累计10分封顶).
        var auto = AutoScorer.Prefill(CountyRubric, CountyContext());
        var result = SheetScorer.Score(CountyRubric, auto, Column.Bureau,
        [
            new Entry("B.1", Column.Bureau, new EntryValue(null, new Dictionary<string, int> { ["national"] = 3 }, null, null), "rater", Now),
            new Entry("B.3", Column.Bureau, new EntryValue(null, new Dictionary<string, int> { ["showcases"] = 5 }, null, null), "rater", Now),
        ]);

        var bonus = result.Areas.Single(a => a.Area.Bonus);
        bonus.Sum.ShouldBe(11);
        bonus.Score.ShouldBe(10);
        result.Total.ShouldBe(10);
    }

    [Theory]
    [InlineData("30", "awards", 9, 4.5)]
    [InlineData("30", "awards", 10, 5)]
    [InlineData("30", "awards", 11, 5)]
    [InlineData("31", "papers", 9, 4)]
    [InlineData("42", "projects", 3, 2)]
    public void Counts_give_their_points_each_up_to_the_cap(string item, string key, int count, double expected)
    {
        SheetScorer.CountsScore(Target(SchoolRubric, item), new Dictionary<string, int> { [key] = count }).ShouldBe((decimal)expected);
    }

    [Theory]
    [InlineData("A2.3", "awardedSpaces", 4, 4)]
    [InlineData("A2.3", "awardedSpaces", 3, 3)]
    [InlineData("A2.3", "awardedSpaces", 2, 2)]
    [InlineData("A2.5", "awardedLessons", 6, 4)]
    [InlineData("A2.5", "awardedLessons", 3, 3)]
    [InlineData("A2.5", "awardedLessons", 2, 2)]
    [InlineData("A3.5", "awardedLessons", 2, 2)]
    [InlineData("A3.5", "awardedLessons", 1, 1)]
    public void County_award_counts_score_in_bands(string item, string key, int count, int expected)
    {
        SheetScorer.CountsScore(Target(CountyRubric, item), new Dictionary<string, int> { [key] = count }).ShouldBe(expected);
    }

    [Fact]
    public void A_composite_item_adds_its_parts_and_waits_while_a_part_waits()
    {
        var auto = AutoScorer.Prefill(SchoolRubric, SchoolContext(FullFacts));

        var waiting = SheetScorer.Score(SchoolRubric, auto, Column.Bureau, []).Items.Single(i => i.Item.Number == "16");
        waiting.Status.ShouldBe(LineStatus.Pending);
        waiting.Score.ShouldBe(3); // uploads 1 + shared 2, the library part not yet entered

        var filled = SheetScorer.Score(SchoolRubric, auto, Column.Bureau,
            [new Entry("16/library", Column.Bureau, new EntryValue(2, null, null, null), "rater", Now)]).Items.Single(i => i.Item.Number == "16");
        filled.Status.ShouldBe(LineStatus.Entered);
        filled.Score.ShouldBe(5);
        filled.FullPoints.ShouldBeTrue();
    }

    [Fact]
    public void Columns_are_kept_apart()
    {
        var entries = BulletinEntries(Column.Self);

        var bureau = Score(entries, FullFacts);

        bureau.Pending.ShouldBeGreaterThan(40);
        bureau.Stars!.Provisional.ShouldBeTrue();
        Score(entries.Select(e => e with { Column = Column.Bureau }), FullFacts).Total.ShouldBe(94.5m);
    }

    [Fact]
    public void The_latest_entry_of_a_target_counts()
    {
        var auto = AutoScorer.Prefill(SchoolRubric, SchoolContext(FullFacts));
        Entry[] entries =
        [
            new("1", Column.Bureau, new EntryValue(1, null, null, null), "a", Now.AddMinutes(5)),
            new("1", Column.Bureau, new EntryValue(0.5m, null, null, null), "b", Now),
        ];

        SheetScorer.Score(SchoolRubric, auto, Column.Bureau, entries).Items[0].Score.ShouldBe(1);
    }

    [Fact]
    public void An_override_of_an_auto_score_keeps_both_values()
    {
        var auto = AutoScorer.Prefill(SchoolRubric, SchoolContext(FullFacts));

        var line = SheetScorer.Score(SchoolRubric, auto, Column.Bureau,
                [new Entry("19", Column.Bureau, new EntryValue(0, null, null, "慕课为外校资源"), "rater", Now)])
            .Items.Single(i => i.Item.Number == "19").Targets.Single();

        line.Status.ShouldBe(LineStatus.Entered);
        line.Score.ShouldBe(0);
        line.Auto!.Score.ShouldBe(3);
    }

    [Theory]
    [InlineData("1", 1.5, null, "指标 1：得分 1.5 不在 0～1 分之间或不是 0.5 分的整数倍")]
    [InlineData("22", 2.3, null, "指标 22：得分 2.3 不在 0～3 分之间或不是 0.5 分的整数倍")]
    [InlineData("22", -1, null, "指标 22：得分 -1 不在 0～3 分之间或不是 0.5 分的整数倍")]
    [InlineData("22", 2.5, null, null)]
    [InlineData("19", 0, null, "指标 19：自动得分为 3，改写为 0 须填写理由")]
    [InlineData("19", 0, " ", "指标 19：自动得分为 3，改写为 0 须填写理由")]
    [InlineData("19", 0, "慕课为外校资源", null)]
    [InlineData("19", 3, null, null)] // confirming the pre-filled score needs no reason
    [InlineData("30", 2, null, "指标 30：本项应填次数（awards）")]
    [InlineData("64", 10, null, "指标 64：本项应填是或否")]
    public void Entries_are_checked(string key, double score, string? reason, string? error)
    {
        var target = Target(SchoolRubric, key);
        var auto = target.IsAuto ? AutoScorer.Score(target.Rule, target.Points, SchoolContext(FullFacts)) : null;

        SheetScorer.Validate(target, new EntryValue((decimal)score, null, null, reason), auto).ShouldBe(error);
    }

    [Fact]
    public void Counts_must_be_the_items_own_and_not_negative()
    {
        var target = Target(SchoolRubric, "63");

        SheetScorer.Validate(target, new EntryValue(null, new Dictionary<string, int> { ["papers"] = 1 }, null, null), null)
            .ShouldBe("指标 63：没有计数项“papers”，本项的计数项为 articles、visits");
        SheetScorer.Validate(target, new EntryValue(null, new Dictionary<string, int> { ["visits"] = -1 }, null, null), null)
            .ShouldBe("指标 63：visits 为 -1，次数不能为负");
    }

    [Fact]
    public void A_withdrawal_needs_a_reason_and_leaves_the_line_as_if_never_entered()
    {
        var target = Target(SchoolRubric, "19");
        var auto = AutoScorer.Prefill(SchoolRubric, SchoolContext(FullFacts));
        Entry[] entries =
        [
            new("19", Column.Bureau, new EntryValue(0, null, null, "慕课为外校资源"), "rater", Now),
            new("22", Column.Bureau, new EntryValue(2.5m, null, null, null), "rater", Now),
            new("19", Column.Bureau, EntryValue.Withdrawal("核实后慕课为本校资源"), "rater", Now.AddMinutes(1)),
            new("22", Column.Bureau, EntryValue.Withdrawal("录错学校"), "rater", Now.AddMinutes(1)),
        ];

        var result = SheetScorer.Score(SchoolRubric, auto, Column.Bureau, entries);

        SheetScorer.Validate(target, EntryValue.Withdrawal(" "), auto["19"]).ShouldBe("指标 19：撤回录入须填写理由");
        result.Items.Single(i => i.Item.Number == "19").Status.ShouldBe(LineStatus.Auto);
        result.Items.Single(i => i.Item.Number == "19").Score.ShouldBe(3);
        result.Items.Single(i => i.Item.Number == "22").Status.ShouldBe(LineStatus.Pending);
    }

    [Fact]
    public void A_not_computable_auto_item_takes_a_score_without_a_reason()
    {
        var target = Target(SchoolRubric, "19");
        var auto = AutoScorer.Score(target.Rule, target.Points, SchoolContext());

        auto.Computable.ShouldBeFalse();
        SheetScorer.Validate(target, new EntryValue(3, null, null, null), auto).ShouldBeNull();
    }
}

public class VetoWordsTests
{
    [Fact]
    public void The_veto_is_said_as_a_rater_says_it()
    {
        RaterText.Veto(new StarResult(3, 4, ["23"], Vetoed: true, Provisional: false)).ShouldBe("★23 未得满分，最高认定为三星级");
        RaterText.Veto(new StarResult(2, 2, ["23", "48"], Vetoed: false, Provisional: false)).ShouldBe("★23、★48 未得满分");
        RaterText.Veto(new StarResult(5, 5, [], Vetoed: false, Provisional: false)).ShouldBe(string.Empty);
        RaterText.Veto(null).ShouldBe(string.Empty);
    }
}

public class AreaTitleTests
{
    [Fact]
    public void Areas_are_titled_as_the_standards_print_them()
    {
        RaterText.AreaTitle(RubricLibrary.Get(RubricLibrary.School2022).Areas[0]).ShouldBe("一、基础设施（15分）");
        RaterText.AreaTitle(RubricLibrary.Get(RubricLibrary.School2022).Areas[5]).ShouldBe("六、示范成果（10分）");
    }
}
