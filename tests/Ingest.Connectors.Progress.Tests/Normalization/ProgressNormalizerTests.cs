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
