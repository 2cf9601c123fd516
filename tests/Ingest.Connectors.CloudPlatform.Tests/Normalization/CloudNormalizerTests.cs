using Ingest.Connectors.CloudPlatform.Api;
using Ingest.Connectors.CloudPlatform.Normalization;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;

namespace Ingest.Connectors.CloudPlatform.Tests.Normalization;

public sealed class CloudNormalizerTests
{
    private const string County = "640424";
    private static readonly Period Year = Period.Parse("2024");
    private static readonly Period SchoolYear = Period.Parse("2023-2024");

    private static readonly Organisation[] Schools =
    [
        new("2164240001", "甲小学", OrgLevel.School, County),
        new("2164240002", "乙小学", OrgLevel.School, County),
    ];

    [Fact]
    public void TeacherActivity_SchoolWithoutTeachers_HasZeroAccountsAndUnknownRates()
    {
        var rows = new[] { Teacher("T1", "2164240001", points: 100) };

        var result = CloudNormalizer.TeacherActivity(County, Year, Schools, rows);

        var empty = result.Facts.Where(f => f.OrgCode == "2164240002").ToDictionary(f => f.IndicatorCode);
        empty["cloud.teacher_accounts"].Value.ShouldBe(0m);
        empty["cloud.app_index"].Value.ShouldBeNull("0 ÷ 0 is unknown, never 0");
        result.Facts.Single(f => f.OrgCode == County && f.IndicatorCode == "cloud.app_index").Value.ShouldBe(100m);
    }

    [Fact]
    public void TeacherActivity_RowsWithoutSchoolCodeOrForUnknownSchools_AreNotedAndTheRestCounted()
    {
        var rows = new[]
        {
            Teacher("T1", "2164240001", points: 100),
            Teacher("T2", null, points: 50),
            Teacher("T3", "2164249999", points: 30),
        };

        var result = CloudNormalizer.TeacherActivity(County, Year, Schools, rows);

        result.Rejected.ShouldBe(1);
        result.Notes.ShouldContain("1 rows left out: without a school code");
        result.Notes.ShouldContain(n => n.Contains("1 schools not in the directory: 2164249999", StringComparison.Ordinal));
        // The unknown school's teacher still belongs to the county the upstream listed it under.
        result.Facts.Single(f => f.OrgCode == County && f.IndicatorCode == "cloud.teacher_accounts").Value.ShouldBe(2m);
    }

    /// <summary>Space active means opened and experience above the setting: 60 by default, the department's own figure when set.</summary>
    [Fact]
    public void TeacherActivity_SpaceActiveRate_CountsExperienceAboveTheSetting()
    {
        var rows = new[]
        {
            Teacher("T1", "2164240001", points: 1) with { SpaceExperience = 61 },
            Teacher("T2", "2164240001", points: 1) with { SpaceExperience = 60 },
            Teacher("T3", "2164240001", points: 1) with { SpaceExperience = 150 },
            Teacher("T4", "2164240001", points: 1) with { SpaceOpened = false, SpaceExperience = 500 },
        };

        decimal? Rate(Ingest.Core.Connectors.NormalizedRows r) => r.Facts.Single(f => f.OrgCode == "2164240001" && f.IndicatorCode == "cloud.space_active_rate").Value;
        Rate(CloudNormalizer.TeacherActivity(County, Year, Schools, rows)).ShouldBe(0.5m);
        Rate(CloudNormalizer.TeacherActivity(County, Year, Schools, rows, spaceActiveAbove: 100)).ShouldBe(0.25m);
    }

    [Fact]
    public void Literacy_UnknownLevel_IsLeftOutAndUnassessedTeachersAreNotInTheDenominator()
    {
        var rows = new LiteracyDto[]
        {
            new("T1", "2164240001", "优秀"),
            new("T2", "2164240001", null),
            new("T3", "2164240001", "差"),
            new("T4", "2164240001", "不合格"),
        };

        var result = CloudNormalizer.Literacy(County, Year, Schools, rows);

        result.Rejected.ShouldBe(1);
        var pass = result.Facts.Single(f => f.OrgCode == "2164240001" && f.IndicatorCode == "cloud.literacy_pass_rate");
        (pass.Numerator, pass.Denominator).ShouldBe((1m, 2m));
        result.Facts.ShouldNotContain(f => f.OrgCode == "2164240002", "a school with nobody due has no rate");
    }

    [Fact]
    public void StudentSpace_MoreActiveThanEligible_IsLeftOut()
    {
        var rows = new StudentSpaceDto[] { new("2164240001", 100, 60), new("2164240002", 10, 11) };

        var result = CloudNormalizer.StudentSpace(County, SchoolYear, Schools, rows);

        result.Rejected.ShouldBe(1);
        var county = result.Facts.Single(f => f.OrgCode == County);
        (county.Numerator, county.Denominator, county.Value).ShouldBe((60m, 100m, 0.6m));
    }

    [Fact]
    public void SchoolContent_ThemeMissingFromObject_CountsAsNoneAndDetailKeepsTheThemes()
    {
        var rows = new SchoolContentDto[]
        {
            new("2164240001", true, true, 0, 10, 5, new Dictionary<string, int> { ["德育"] = 2, ["美育"] = 1 }, 0, 0, null, 0),
            new("2164240002", true, true, 0, 10, 5, new Dictionary<string, int> { ["德育"] = 4 }, 0, 1, ["语文"], 0),
        };

        var result = CloudNormalizer.SchoolContent(County, SchoolYear, Schools, rows);

        var county = result.Facts.Single(f => f.OrgCode == County && f.IndicatorCode == "cloud.theme_moocs");
        county.Value.ShouldBe(7m);
        county.Detail.ShouldBe("""{"德育":6,"美育":1}""");
    }

    private static TeacherActivityDto Teacher(string id, string? school, decimal points) =>
        new(id, school, points, true, 100, 1, 1, 1, 1, null);
}
