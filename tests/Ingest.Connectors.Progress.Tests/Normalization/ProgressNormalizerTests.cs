using Ingest.Connectors.Progress.Api;
using Ingest.Connectors.Progress.Export;
using Ingest.Connectors.Progress.Normalization;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;

namespace Ingest.Connectors.Progress.Tests.Normalization;

public sealed class ProgressNormalizerTests
{
    private const string County = "640999";
    private static readonly Period Year = Period.CalendarYear(2024);

    // A township centre school whose only classroom is at its teaching point, a school with none, and a closed school.
    private static readonly Organisation[] Schools =
    [
        new("2109990001", "中心学校", OrgLevel.School, County),
        new("2109990002", "教学点", OrgLevel.School, County, ParentSchoolCode: "2109990001", IsTeachingPoint: true),
        new("2109990003", "小学", OrgLevel.School, County),
        new("2109990004", "已撤并小学", OrgLevel.School, County, Active: false),
    ];

    [Fact]
    public void Classrooms_UnitSchoolWhoseClassroomIsAtItsTeachingPoint_CountsAsHavingOne()
    {
        ClassroomDto[] rooms = [new("C1", "2109990002", "在线互动教室", true, new DateOnly(2023, 1, 1))];

        var rows = ProgressNormalizer.Classrooms(County, Year, Schools, rooms);

        var county = rows.Facts.Single(f => f.OrgCode == County);
        county.Value.ShouldBe(1m);
        county.Detail!.ShouldContain("\"unitSchools\":2");
        county.Detail!.ShouldContain("\"unitSchoolsWithClassroom\":1");
        county.Detail!.ShouldContain("\"unitSchoolsWithout\":[\"2109990003\"]");
        rows.Facts.Single(f => f.OrgCode == "2109990001").Value.ShouldBe(0m, "the school's own count stays its own");
    }

    [Fact]
    public void Sessions_HostListedAmongReceiversAndRepeatedReceivers_CountOneLessonPerSchool()
    {
        ClassroomDto[] rooms = [new("C1", "2109990001", "在线互动教室", true, null)];
        SessionDto[] sessions =
        [
            new(1, "C1", "2109990001", ["2109990001", "2109990003", "2109990003"], "专递课堂", new DateTimeOffset(2024, 3, 4, 8, 0, 0, TimeSpan.FromHours(8)), 40, "COMPLETED"),
            new(2, "C1", "2109990001", ["2109990003"], "专递课堂", new DateTimeOffset(2024, 3, 5, 8, 0, 0, TimeSpan.FromHours(8)), 40, "CANCELLED"),
        ];

        var rows = ProgressNormalizer.Sessions(County, Year, Schools, rooms, sessions, 35);

        rows.Facts.Single(f => f.OrgCode == "2109990001" && f.IndicatorCode == "progress.online_lessons").Value.ShouldBe(1m);
        rows.Facts.Single(f => f.OrgCode == "2109990003" && f.IndicatorCode == "progress.online_lessons").Value.ShouldBe(1m);
        rows.Facts.Single(f => f.OrgCode == County && f.IndicatorCode == "progress.online_lessons").Value.ShouldBe(2m);
        rows.Facts.ShouldNotContain(f => f.OrgCode == "2109990004", "closed and without lessons");
    }

    [Fact]
    public void Sessions_FirstHalfOfTheYear_CountsLessonsFromJanuaryToJuneInBeijingTime()
    {
        // 上半年 as a bulletin counts it: 30 June 23:30 in Beijing is in (15:30 UTC), 1 July 00:10 in Beijing is not (30 June UTC).
        ClassroomDto[] rooms = [new("C1", "2109990001", "在线互动教室", true, null)];
        SessionDto[] sessions =
        [
            new(1, "C1", "2109990001", ["2109990003"], "专递课堂", new DateTimeOffset(2024, 1, 1, 0, 5, 0, TimeSpan.FromHours(8)), 40, "COMPLETED"),
            new(2, "C1", "2109990001", ["2109990003"], "专递课堂", new DateTimeOffset(2024, 6, 30, 15, 30, 0, TimeSpan.Zero), 40, "COMPLETED"),
            new(3, "C1", "2109990001", ["2109990003"], "专递课堂", new DateTimeOffset(2024, 6, 30, 16, 10, 0, TimeSpan.Zero), 40, "COMPLETED"),
            new(4, "C1", "2109990001", ["2109990003"], "专递课堂", new DateTimeOffset(2023, 12, 31, 23, 0, 0, TimeSpan.FromHours(8)), 40, "COMPLETED"),
        ];
        var half = Period.Parse("2024H1");
        (half.Kind, half.Start, half.End).ShouldBe((PeriodKind.HalfYear, new DateOnly(2024, 1, 1), new DateOnly(2024, 6, 30)));
        var tally = new ProgressNormalizer.SessionTally(half, Schools);
        foreach (var s in sessions.Where(s => ProgressNormalizer.InShare(half, new DateOnly(2023, 9, 1), new DateOnly(2024, 8, 31), s)))
        {
            tally.Add(s);
        }

        var rows = tally.Normalize(County, rooms, new ProgressOptions().WeeksOf(half));
        rows.Facts.Single(f => f.OrgCode == "2109990001" && f.IndicatorCode == "progress.online_lessons").Value.ShouldBe(2m);
        rows.Facts.Single(f => f.OrgCode == County && f.IndicatorCode == "progress.online_lessons").Value.ShouldBe(4m, "host and receiver each count a lesson");
        new ProgressOptions().WeeksOf(half).ShouldBe(17.5m, "half of a calendar year's 35 teaching weeks");
    }

    [Fact]
    public void Infrastructure_OneUnitSchoolKnownBelow200_CountyBandwidthListsItWhateverTheOthersAreUnknown()
    {
        var file = InfrastructureCsv.Read(string.Join('\n',
            "学校标识码,学校名称,区县代码,出口带宽(Mbps),教学班数,配备多媒体终端的教学班数,在线互动教室数,安防系统,一键报警",
            "2109990001,中心学校,640999,100,10,10,0,是,是",
            "2109990002,教学点,640999,20,2,2,1,是,是",
            "合计,,,,12,12,1,,") + "\n");

        var rows = ProgressNormalizer.Infrastructure(County, Period.Day(new DateOnly(2024, 12, 31)), Schools, file, new DateOnly(2024, 12, 31));

        var bandwidth = rows.Facts.Single(f => f.OrgCode == County && f.IndicatorCode == "progress.bandwidth_mbps");
        bandwidth.Value.ShouldBeNull("2109990003 did not report");
        bandwidth.Detail!.ShouldContain("\"below200\":[\"2109990001\"]");
        bandwidth.Detail!.ShouldContain("\"notReported\":[\"2109990003\"]");
        bandwidth.Detail!.ShouldNotContain("2109990002", Case.Sensitive, "a teaching point is not a unit school");
        rows.Notes.ShouldContain("1 unit schools have no line in the export (unknown)");
    }
}
