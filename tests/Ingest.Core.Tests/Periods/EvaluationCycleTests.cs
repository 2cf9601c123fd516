using Ingest.Core.Periods;

namespace Ingest.Core.Tests.Periods;

public class EvaluationCycleTests
{
    [Fact]
    public void DefaultFor_SchoolCycle2024_ReadsCalendar2023SchoolYear2023To2024AndJuneExport()
    {
        // docs/domain.md: school star cycle Y reads calendar Y−1, school year (Y−1)−Y, export of Y-06-30.
        var periods = CyclePeriods.DefaultFor(EvaluationCycle.Parse("school:2024"));

        periods.CalendarYear.Code.ShouldBe("2023");
        periods.SchoolYear.Code.ShouldBe("2023-2024");
        periods.InfrastructureExport.Code.ShouldBe("2024-06-30");
    }

    [Fact]
    public void DefaultFor_CountyCycle2024_ReadsCalendar2024SchoolYear2023To2024AndDecemberExport()
    {
        var periods = CyclePeriods.DefaultFor(EvaluationCycle.Parse("county:2024"));

        periods.CalendarYear.Code.ShouldBe("2024");
        periods.SchoolYear.Code.ShouldBe("2023-2024");
        periods.InfrastructureExport.Code.ShouldBe("2024-12-31");
        periods.All().Select(p => p.Code).ShouldBe(["2024", "2023-2024", "2024-12-31"]);
    }

    [Theory]
    [InlineData("school")]
    [InlineData("star:2024")]
    [InlineData("county:24")]
    public void Parse_Malformed_FailsWithTheExpectedForm(string text)
    {
        var message = Should.Throw<FormatException>(() => EvaluationCycle.Parse(text)).Message;

        message.ShouldStartWith($"“{text}”不是评价周期");
        message.ShouldContain("school:2025");
    }
}
