using Ingest.Core.Connectors;

namespace Ingest.Connectors.CloudPlatform.Tests.Client;

/// <summary>
/// The connector against the fake serving <c>fixtures/data/cloud-tiny.json</c>, over real HTTP. Every expected
/// figure is worked out by hand from that file (泾源县 640424: schools …0001–…0005, …0004 a teaching point
/// under …0003, …0005 closed).
/// </summary>
public sealed class TinyCountyTests
{
    private const string County = "640424";
    private const string Primary = "2164240001";
    private const string Middle = "2164240002";
    private const string Centre = "2164240003";
    private const string TeachingPoint = "2164240004";
    private const string Closed = "2164240005";

    [Fact]
    public async Task ReadCountyAsync_CalendarYear_TeacherFactsEqualHandComputedValues()
    {
        using var harness = new CloudHarness();
        var (batch, _) = await harness.ReadAsync(County, "2024");

        // 2164240001: three teachers; points 523.5 + 300 + 0; only the first has an opened space with experience > 60
        // (the second has exactly 60); assistant days ≥ 1: the first; app days ≥ 1: the first two; uploads 14+3+0, shares 6+1+0.
        batch.Value(Primary, "cloud.teacher_accounts").ShouldBe(3m);
        batch.Value(Primary, "cloud.app_index").ShouldBe(274.5m);
        Ratio(batch, Primary, "cloud.space_active_rate", 1, 3);
        Ratio(batch, Primary, "cloud.assistant_use_rate", 1, 3);
        Ratio(batch, Primary, "cloud.app_use_rate", 2, 3);
        Ratio(batch, Primary, "cloud.resources_uploaded_per_teacher", 17, 3);
        Ratio(batch, Primary, "cloud.resources_shared_per_teacher", 7, 3);

        // 2164240002: the second teacher's space is not opened, so experience 90 does not count.
        batch.Value(Middle, "cloud.app_index").ShouldBe(280.25m);
        Ratio(batch, Middle, "cloud.space_active_rate", 1, 2);
        Ratio(batch, Middle, "cloud.assistant_use_rate", 2, 2);
        batch.Value(Middle, "cloud.resources_shared_per_teacher").ShouldBe(4m);

        // 2164240003: experience 61 is above 60.
        Ratio(batch, Centre, "cloud.space_active_rate", 1, 2);
        batch.Value(Centre, "cloud.resources_uploaded_per_teacher").ShouldBe(10m);
        batch.Value(TeachingPoint, "cloud.teacher_accounts").ShouldBe(1m);
        batch.Facts.ShouldNotContain(f => f.OrgCode == Closed, "a closed school with no rows gets no facts");

        // The county: 8 teachers, points 2084, active spaces 3, assistant 4, app 5, uploads 48, shares 25 — ratio of sums.
        batch.Value(County, "cloud.teacher_accounts").ShouldBe(8m);
        Ratio(batch, County, "cloud.app_index", 2084, 8);
        batch.Value(County, "cloud.app_index").ShouldBe(260.5m);
        Ratio(batch, County, "cloud.space_active_rate", 3, 8);
        Ratio(batch, County, "cloud.assistant_use_rate", 4, 8);
        Ratio(batch, County, "cloud.app_use_rate", 5, 8);
        batch.Value(County, "cloud.resources_uploaded_per_teacher").ShouldBe(6m);
        batch.Value(County, "cloud.resources_shared_per_teacher").ShouldBe(3.125m);
    }

    [Fact]
    public async Task ReadCountyAsync_CalendarYear_LiteracyRatesCountAssessedTeachersOnly()
    {
        using var harness = new CloudHarness();
        var (batch, _) = await harness.ReadAsync(County, "2024");

        // 2164240001: 优秀, 良好 and one not assessed → 1 of 2 excellent, 2 of 2 pass.
        Ratio(batch, Primary, "cloud.literacy_excellent_rate", 1, 2);
        Ratio(batch, Primary, "cloud.literacy_pass_rate", 2, 2);
        // 2164240002: 合格, 不合格.
        Ratio(batch, Middle, "cloud.literacy_excellent_rate", 0, 2);
        Ratio(batch, Middle, "cloud.literacy_pass_rate", 1, 2);
        // The teaching point's only teacher is not assessed: no rate, never 0.
        batch.Value(TeachingPoint, "cloud.literacy_excellent_rate").ShouldBeNull();
        // The county: 6 assessed, 3 优秀, 5 at least 合格.
        Ratio(batch, County, "cloud.literacy_excellent_rate", 3, 6);
        Ratio(batch, County, "cloud.literacy_pass_rate", 5, 6);
    }

    [Fact]
    public async Task ReadCountyAsync_SchoolYear_ContentAndStudentFactsEqualHandComputedValues()
    {
        using var harness = new CloudHarness();
        var (batch, _) = await harness.ReadAsync(County, "2023-2024");

        batch.Value(Primary, "cloud.theme_moocs").ShouldBe(22m); // 6+4+3+2+1+3+2+0+1
        batch.Value(Primary, "cloud.course_community_subjects").ShouldBe(3m);
        Ratio(batch, Primary, "cloud.kp_microlecture_coverage", 130, 400);
        batch.Value(Middle, "cloud.portal_opened").ShouldBe(0m);
        batch.Value(Centre, "cloud.kp_microlecture_coverage").ShouldBeNull("0 of 0 knowledge points is not computable");
        // The teaching point is missing from the list: no content, nothing opened, coverage unknown.
        batch.Value(TeachingPoint, "cloud.smart_campus_opened").ShouldBe(0m);
        batch.Value(TeachingPoint, "cloud.theme_moocs").ShouldBe(0m);
        batch.Value(TeachingPoint, "cloud.kp_microlecture_coverage").ShouldBeNull();

        // County: unit schools are …0001–…0003 (the teaching point has a parent, …0005 is closed);
        // smart campus opened by …0001 and …0002, portal by …0001 and …0003.
        var campus = batch.Fact(County, "cloud.smart_campus_opened");
        (campus.Numerator, campus.Denominator).ShouldBe((2m, 3m));
        var portal = batch.Fact(County, "cloud.portal_opened");
        (portal.Numerator, portal.Denominator).ShouldBe((2m, 3m));
        Ratio(batch, County, "cloud.kp_microlecture_coverage", 190, 700);
        batch.Value(County, "cloud.theme_moocs").ShouldBe(25m);
        batch.Value(County, "cloud.family_education_lessons").ShouldBe(6m);
        batch.Value(County, "cloud.active_famous_teacher_studios").ShouldBe(3m);
        batch.Value(County, "cloud.course_community_subjects").ShouldBe(4m); // 语文 数学 英语 物理
        batch.Fact(County, "cloud.course_community_subjects").Detail!.ShouldContain("物理");

        // Student spaces: 410/640, 300/500, 90/200; county 800/1340.
        Ratio(batch, Primary, "cloud.student_space_active_rate", 410, 640);
        Ratio(batch, County, "cloud.student_space_active_rate", 800, 1340);
    }

    [Fact]
    public async Task ReadCountyAsync_AnyPeriod_ReturnsTheDirectoryWithParentsAndReportsEveryStream()
    {
        using var harness = new CloudHarness();
        var (batch, context) = await harness.ReadAsync(County, "2024");

        batch.Organisations.Single(o => o.Code == "640400").Name.ShouldBe("固原市");
        batch.Organisations.Single(o => o.Code == County).Name.ShouldBe("泾源县");
        var point = batch.Organisations.Single(o => o.Code == TeachingPoint);
        (point.IsTeachingPoint, point.ParentSchoolCode, point.IsUnitSchool).ShouldBe((true, Centre, false));
        batch.Organisations.Single(o => o.Code == Closed).Active.ShouldBeFalse();

        batch.Streams.Select(s => s.Stream).ShouldBe(["orgs", "teacher-activity", "literacy-assessment"]);
        var teachers = batch.Streams.Single(s => s.Stream == "teacher-activity");
        // 8 rows at 3 per cursor page: 3 pages.
        (teachers.Status, teachers.Pages, teachers.RowsRead, teachers.RowsKept).ShouldBe((StreamStatus.Succeeded, 3, 8L, 8L));
        // Every answer is archived as received: orgs 3 pages of 2, teachers 3, literacy 4 pages of 2.
        context.Pages.Count.ShouldBe(3 + 3 + 4);
        context.Pages.ShouldAllBe(p => p.HttpStatus == 200 && p.CountyCode == County && p.Body.Length > 0);
    }

    [Fact]
    public async Task ReadCountyAsync_NoRowsWherePreviousRunHadMany_FlagsTheStreamAndWritesNoFacts()
    {
        using var harness = new CloudHarness();
        var context = new RecordingContext();
        // The dataset has no teacher activity for 2022; the previous run read 50 rows for it.
        context.Previous["teacher-activity|640424|2022"] = new StreamReport("teacher-activity", StreamStatus.Succeeded, 1, 50, 50, 40);

        var (batch, _) = await harness.ReadAsync(County, "2022", context);

        var report = batch.Streams.Single(s => s.Stream == "teacher-activity");
        (report.Status, report.FactsEmitted).ShouldBe((StreamStatus.Flagged, 0));
        report.Note!.ShouldContain("no rows, where the previous run kept 50");
        batch.Facts.ShouldNotContain(f => f.IndicatorCode == "cloud.teacher_accounts");
        // Literacy had no previous run: no rows is simply no rows.
        batch.Streams.Single(s => s.Stream == "literacy-assessment").Status.ShouldBe(StreamStatus.Succeeded);
    }

    private static void Ratio(CountyBatch batch, string org, string indicator, decimal numerator, decimal denominator)
    {
        var fact = batch.Fact(org, indicator);
        (fact.Numerator, fact.Denominator).ShouldBe((numerator, denominator), $"{org} {indicator}");
        fact.Value.ShouldBe(numerator / denominator, $"{org} {indicator}");
    }
}
