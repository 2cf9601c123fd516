using Ingest.Core.Connectors;

namespace Ingest.Connectors.Progress.Tests.Export;

/// <summary>
/// The nightly infrastructure export of 泾源县 from <c>fixtures/data/cloud-tiny.json</c>, served by the fake as GB18030:
/// line 2 …0001 (1000 Mbps, 24/24 classes, 是, 是), line 3 …0002 (bandwidth empty, 16/18, 是, 否), line 4 …0003
/// (200, 12/12, 是, alarm empty), line 5 the teaching point …0004 with bandwidth typed as <c>10O</c>, line 6 合计.
/// The night of 2024-12-31 has no export.
/// </summary>
public sealed class ExportTests
{
    private const string County = "640424";
    private const string Primary = "2164240001";
    private const string Middle = "2164240002";
    private const string Centre = "2164240003";
    private const string TeachingPoint = "2164240004";

    [Fact]
    public async Task ReadCountyAsync_ExportWithTotalsEmptyAndMalformedFields_LoadsEveryGoodLineAndKeepsUnknownUnknown()
    {
        using var harness = new ProgressHarness();
        var (batch, context) = await harness.ReadAsync(County, "2024-06-30");

        batch.Value(Primary, "progress.bandwidth_mbps").ShouldBe(1000m);
        batch.Value(Centre, "progress.bandwidth_mbps").ShouldBe(200m);
        batch.Value(Middle, "progress.bandwidth_mbps").ShouldBeNull("an empty field is unknown, not 0");
        batch.Fact(Primary, "progress.multimedia_class_coverage").ShouldBeRatio(24, 24);
        batch.Fact(Middle, "progress.multimedia_class_coverage").ShouldBeRatio(16, 18);
        batch.Value(Primary, "progress.security_system").ShouldBe(1m);
        batch.Value(Middle, "progress.one_click_alarm").ShouldBe(0m);
        batch.Value(Centre, "progress.one_click_alarm").ShouldBeNull();
        batch.Facts.Where(f => f.OrgCode == TeachingPoint && f.IndicatorCode != "progress.interactive_classrooms")
            .ShouldAllBe(f => f.Value == null, "the malformed line is left out, so the teaching point is unknown");
        batch.Facts.ShouldNotContain(f => f.OrgCode == "合计", "the totals line is not a school");
        batch.Fact(Primary, "progress.bandwidth_mbps").Detail!.ShouldContain("\"exportNight\":\"2024-06-30\"");

        // The county, over its unit schools …0001–…0003: bandwidth unknown while …0002 has not reported it (the lowest
        // reported is 200); coverage unknown while a school has no usable line; every unit school has a security system;
        // the alarm is known for two, one of which has none.
        var bandwidth = batch.Fact(County, "progress.bandwidth_mbps");
        bandwidth.Value.ShouldBeNull();
        bandwidth.Detail!.ShouldContain("\"lowestReported\":200");
        bandwidth.Detail!.ShouldContain("\"notReported\":[\"2164240002\"]");
        batch.Fact(County, "progress.multimedia_class_coverage").Value.ShouldBeNull();
        batch.Fact(County, "progress.multimedia_class_coverage").Detail!.ShouldContain("\"unitSchoolsShort\":[\"2164240002\"]");
        var security = batch.Fact(County, "progress.security_system");
        (security.Value, security.Numerator, security.Denominator).ShouldBe((3m, 3m, 3m), "3 of the 3 unit schools");
        var alarm = batch.Fact(County, "progress.one_click_alarm");
        alarm.Value.ShouldBeNull();
        (alarm.Numerator, alarm.Denominator).ShouldBe((1m, 3m));
        alarm.Detail!.ShouldContain("\"no\":[\"2164240002\"]");

        var report = batch.Report("infrastructure-export");
        report.Status.ShouldBe(StreamStatus.Flagged);
        report.Note.ShouldNotBeNull().ShouldContain("line 5, 出口带宽(Mbps): '10O' does not parse");
        report.RowsKept.ShouldBe(3, "three school lines loaded");
        var raw = context.Pages.Single(p => p.Stream == "infrastructure-export");
        raw.Body.ToArray().ShouldBe(harness.Fake.ExportBytes(County, new DateOnly(2024, 6, 30)), "the archive keeps the GB18030 bytes as served");
    }

    [Fact]
    public async Task ReadCountyAsync_NightWithoutExport_UsesTheLatestEarlierNightAndSaysWhich()
    {
        using var harness = new ProgressHarness();
        var (batch, _) = await harness.ReadAsync(County, "2024-12-31");

        harness.Fake.Count("export-404").ShouldBe(1);
        batch.Value(Primary, "progress.bandwidth_mbps").ShouldBe(1000m);
        batch.Facts.Where(f => f.IndicatorCode.StartsWith("progress.bandwidth", StringComparison.Ordinal))
            .ShouldAllBe(f => f.Period == "2024-12-31" && f.Detail!.Contains("\"exportNight\":\"2024-12-30\""));
        batch.Report("infrastructure-export").Note.ShouldNotBeNull().ShouldContain("the export of 2024-12-30 was used");
    }

    [Fact]
    public async Task ReadCountyAsync_NoExportInTheWholeFallback_FailsTheExportAloneWithNothingWrittenAsZero()
    {
        using var harness = new ProgressHarness();
        for (var night = new DateOnly(2024, 6, 23); night <= new DateOnly(2024, 6, 30); night = night.AddDays(1))
        {
            harness.Fake.Faults.MissingExports[night.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)] = true;
        }

        var (batch, _) = await harness.ReadAsync(County, "2024-06-30");

        harness.Fake.Count("export-404").ShouldBe(8, "the night and the 7 before it");
        var report = batch.Report("infrastructure-export");
        report.Status.ShouldBe(StreamStatus.Failed);
        report.Note.ShouldNotBeNull().ShouldContain("no infrastructure export for county 640424 on 2024-06-30 nor on the 7 nights before");
        batch.Facts.ShouldNotContain(f => f.IndicatorCode == "progress.bandwidth_mbps");
        batch.Value(County, "progress.interactive_classrooms").ShouldBe(3m, "the classrooms still load");
    }

    [Fact]
    public async Task ReadCountyAsync_HeaderThatDoesNotMatch_FailsTheFileNamingMissingAndUnexpectedColumns()
    {
        using var harness = new ProgressHarness();
        harness.Fake.Faults.AlteredHeader = true;
        var (batch, _) = await harness.ReadAsync(County, "2024-06-30");

        var report = batch.Report("infrastructure-export");
        report.Status.ShouldBe(StreamStatus.Failed);
        report.Note.ShouldBe("school-infrastructure.csv of county 640424 for 2024-06-30: the header does not match the contract; "
            + "missing columns: 出口带宽(Mbps); unexpected columns: 出口带宽, 备注; the file was not loaded.");
        batch.Facts.ShouldNotContain(f => f.IndicatorCode == "progress.security_system");
    }
}
