using Ingest.Core.Facts;
using Ingest.Core.Periods;

namespace Ingest.Core.Tests.Facts;

public class IndicatorFactTests
{
    [Fact]
    public void Ratio_KeepsNumeratorAndDenominator()
    {
        // 应用指数 = 教师年度积分之和 ÷ 教师用户总人数: 1047 points over 2 teachers.
        var f = IndicatorFact.Ratio("2164012345", "cloud.app_index", Period.CalendarYear(2023), "cloud", 1047m, 2m, "分/人");

        f.Value.ShouldBe(523.5m);
        f.Numerator.ShouldBe(1047m);
        f.Denominator.ShouldBe(2m);
        f.Period.ShouldBe("2023");
    }

    [Fact]
    public void Ratio_ZeroDenominator_IsUnknownNotZero()
    {
        // A school with no knowledge points has no coverage figure (0 ÷ 0 is not computable), not 0%.
        var f = IndicatorFact.Ratio("2164012345", "cloud.kp_microlecture_coverage", Period.SchoolYear(2023), "cloud", 0m, 0m);

        f.Value.ShouldBeNull();
        f.Denominator.ShouldBe(0m);
    }
}
