using Ingest.Core.Indicators;

namespace Ingest.Core.Tests.Indicators;

public class IndicatorCatalogueTests
{
    // The indicator table of docs/domain.md, code for code.
    private static readonly string[] DomainCodes =
    [
        "cloud.teacher_accounts", "cloud.app_index", "cloud.space_active_rate", "cloud.assistant_use_rate", "cloud.app_use_rate",
        "cloud.resources_uploaded_per_teacher", "cloud.resources_shared_per_teacher", "cloud.smart_campus_opened", "cloud.portal_opened",
        "cloud.kp_microlecture_coverage", "cloud.theme_moocs", "cloud.family_education_lessons", "cloud.course_community_subjects",
        "cloud.active_famous_teacher_studios", "cloud.literacy_excellent_rate", "cloud.literacy_pass_rate", "cloud.student_space_active_rate",
        "progress.interactive_classrooms", "progress.online_lessons", "progress.online_lessons_per_week", "progress.classroom_app_index",
        "progress.bandwidth_mbps", "progress.multimedia_class_coverage", "progress.security_system", "progress.one_click_alarm",
    ];

    [Fact]
    public void All_HoldsExactlyTheIndicatorsOfTheDomain()
    {
        IndicatorCatalogue.All.Select(i => i.Code).ShouldBe(DomainCodes, ignoreOrder: true);
    }

    [Fact]
    public void All_EveryEntryHasAsciiCodeAndAChineseName()
    {
        foreach (var i in IndicatorCatalogue.All)
        {
            i.Code.All(char.IsAscii).ShouldBeTrue(i.Code);
            i.NameZh.Any(c => c >= '\u4e00' && c <= '\u9fff').ShouldBeTrue(i.Code);
            i.Unit.ShouldNotBeNullOrWhiteSpace(i.Code);
        }
    }

    [Theory]
    [InlineData("cloud.app_index", Aggregation.RatioOfSums)]
    [InlineData("cloud.space_active_rate", Aggregation.RatioOfSums)]
    [InlineData("cloud.theme_moocs", Aggregation.Sum)]
    [InlineData("progress.bandwidth_mbps", Aggregation.None)]
    public void Find_KnownCode_RollsUpAsTheDomainSays(string code, Aggregation expected)
    {
        // Aggregates to county and region are a ratio of sums, never the mean of school ratios; a school's
        // bandwidth is not summed into a county figure.
        IndicatorCatalogue.Find(code)!.Aggregation.ShouldBe(expected);
    }

    [Fact]
    public void Find_UnknownCode_IsNull() => IndicatorCatalogue.Find("cloud.nope").ShouldBeNull();
}
