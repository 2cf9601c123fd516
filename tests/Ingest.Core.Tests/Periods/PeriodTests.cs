using Ingest.Core.Periods;

namespace Ingest.Core.Tests.Periods;

public class PeriodTests
{
    [Fact]
    public void Parse_SchoolYear_RunsFromSeptemberToAugust()
    {
        var p = Period.Parse("2023-2024");

        p.Kind.ShouldBe(PeriodKind.SchoolYear);
        p.Start.ShouldBe(new DateOnly(2023, 9, 1));
        p.End.ShouldBe(new DateOnly(2024, 8, 31));
        p.Code.ShouldBe("2023-2024");
    }

    [Fact]
    public void Parse_CalendarYear_CoversTheWholeYear()
    {
        var p = Period.Parse("2023");

        p.Kind.ShouldBe(PeriodKind.CalendarYear);
        p.Start.ShouldBe(new DateOnly(2023, 1, 1));
        p.End.ShouldBe(new DateOnly(2023, 12, 31));
    }

    [Fact]
    public void Parse_Date_IsASingleNight()
    {
        var p = Period.Parse("2024-06-30");

        p.Kind.ShouldBe(PeriodKind.Day);
        p.Start.ShouldBe(p.End);
    }

    [Theory]
    [InlineData("2023-2025")]
    [InlineData("23")]
    [InlineData("2024-02-30")]
    [InlineData("")]
    public void Parse_NotAPeriod_FailsNamingTheText(string text)
    {
        var e = Should.Throw<FormatException>(() => Period.Parse(text));

        e.Message.ShouldContain($"“{text}”不是期间");
    }
}
