using System.Text;
using Ingest.Connectors.Progress.Export;

namespace Ingest.Connectors.Progress.Tests.Export;

public sealed class InfrastructureCsvTests
{
    private const string Header = "学校标识码,学校名称,区县代码,出口带宽(Mbps),教学班数,配备多媒体终端的教学班数,在线互动教室数,安防系统,一键报警";

    [Fact]
    public void Read_Gb18030FileWithTotalsBlankAndBadLines_KeepsGoodLinesAndNamesEachBadOne()
    {
        var text = string.Join("\r\n",
            Header,
            "2164012345,泾源县城关第一小学,640424,1000,24,24,2,是,是",
            "2164012399,泾源县新民乡中心小学,640424,,6,5,1,是,否",
            "2164012400,泾源县新民乡东沟小学,640424,100,6,5,1,有,否",
            "2164012401,泾源县新民乡西沟小学,640424,100,6",
            "2164012402,泾源县新民乡南台小学,640424,100,-3,0,0,否,否",
            "216401240X,泾源县新民乡北庄小学,640424,100,4,4,0,否,否",
            "2164012403,泾源县新民乡红星小学,640424,100,4,5,0,否,否",
            "合计,,,,54,48,4,,") + "\r\n";
        var bytes = InfrastructureCsv.Gb18030.GetBytes(text);
        bytes.ShouldNotBe(Encoding.UTF8.GetBytes(text), "the file really is GB18030");

        var file = InfrastructureCsv.Read(bytes);

        file.HeaderError.ShouldBeNull();
        file.Records.Select(r => r.SchoolCode).ShouldBe(["2164012345", "2164012399"]);
        file.Records[0].SchoolName.ShouldBe("泾源县城关第一小学");
        file.Records[1].BandwidthMbps.ShouldBeNull("empty is unknown");
        file.Records[1].SecuritySystem.ShouldBe(true);
        file.Records[1].OneClickAlarm.ShouldBe(false);
        file.Records[1].Line.ShouldBe(3);
        file.Totals.ShouldNotBeNull().TeachingClasses.ShouldBe(54);
        file.Problems.Select(p => p.ToString()).ShouldBe(
        [
            "line 4, 安防系统: '有' does not parse: expected 是 or 否 (or empty for not reported)",
            "line 5: 5 fields where the header has 9",
            "line 6, 教学班数: '-3' does not parse: expected a whole number, not negative (or empty for not reported)",
            "line 7, 学校标识码: '216401240X' is not a 10-digit school code",
            "line 8, 配备多媒体终端的教学班数: 5 classes with terminals is more than the 4 teaching classes",
        ]);
    }

    [Fact]
    public void Read_ColumnsInAnotherOrder_AreFoundByTheirNames()
    {
        var file = InfrastructureCsv.Read("一键报警,安防系统,在线互动教室数,配备多媒体终端的教学班数,教学班数,出口带宽(Mbps),区县代码,学校名称,学校标识码\n否,是,1,10,12,300,640424,某校,2164240001\n");

        file.Problems.ShouldBeEmpty();
        var record = file.Records.ShouldHaveSingleItem();
        (record.BandwidthMbps, record.TeachingClasses, record.ClassesWithTerminals, record.SecuritySystem, record.OneClickAlarm)
            .ShouldBe((300m, 12, 10, true, false));
    }

    [Fact]
    public void Read_HeaderMissingAndAddingColumns_FailsNamingEach()
    {
        var file = InfrastructureCsv.Read("学校标识码,学校名称,区县代码,出口带宽,教学班数,配备多媒体终端的教学班数,安防系统,一键报警,备注\n");

        file.HeaderError.ShouldBe("the header does not match the contract; missing columns: 出口带宽(Mbps), 在线互动教室数; unexpected columns: 出口带宽, 备注");
        file.Records.ShouldBeEmpty();
    }
}
