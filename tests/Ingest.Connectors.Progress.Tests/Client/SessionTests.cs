using Ingest.Core.Connectors;
using Ingest.Data.Raw;
using Ingest.Testing;
using Npgsql;

namespace Ingest.Connectors.Progress.Tests.Client;

/// <summary>
/// Classrooms and sessions of 泾源县 (640424) from <c>fixtures/data/cloud-tiny.json</c>, worked out by hand:
/// classrooms C640424001 (…0001, enabled), C640424002 (…0001, disabled), C640424003 (…0003), C640424004 (the teaching
/// point …0004, commissioned 2024-03-01) and C640424005 (…0002, commissioned 2025-02-01, so not yet in 2024);
/// sessions 1001–1014, of which 1003 is cancelled, 1009 scheduled, 1013 hosted in 西吉县 with …0002 receiving, and
/// 1014 starts 2023-12-31 16:30 UTC, which is 2024-01-01 in Beijing.
/// </summary>
public sealed class SessionTests
{
    private const string County = "640424";
    private const string Primary = "2164240001";
    private const string Middle = "2164240002";
    private const string Centre = "2164240003";
    private const string TeachingPoint = "2164240004";
    private const string Closed = "2164240005";

    [Fact]
    public async Task ReadCountyAsync_CalendarYear2024_EveryProgressFactEqualsTheHandComputedValue()
    {
        using var harness = new ProgressHarness();
        var (batch, _) = await harness.ReadAsync(County, "2024");

        // Enabled classrooms commissioned by 2024-12-31: …0001 one (C002 is disabled), …0003 one, …0004 one, …0002 none.
        batch.Value(Primary, "progress.interactive_classrooms").ShouldBe(1m);
        batch.Value(Middle, "progress.interactive_classrooms").ShouldBe(0m);
        batch.Value(Centre, "progress.interactive_classrooms").ShouldBe(1m);
        batch.Value(TeachingPoint, "progress.interactive_classrooms").ShouldBe(1m);
        batch.Value(County, "progress.interactive_classrooms").ShouldBe(3m);
        batch.Fact(County, "progress.interactive_classrooms").Detail!.ShouldContain("\"unitSchoolsWithout\":[\"2164240002\"]");

        // COMPLETED sessions of 2024, one lesson for the host and for each receiving school:
        // …0001 hosts 1001 1002 1006 1008 1011 1014 = 6; …0002 receives 1006 1008 1012 1013 = 4;
        // …0003 hosts 1004 1005 1012 and receives 1002 1007 = 5; …0004 hosts 1007 and receives 1001 1002 1004 1005 1011 1014 = 7.
        batch.Value(Primary, "progress.online_lessons").ShouldBe(6m);
        batch.Value(Middle, "progress.online_lessons").ShouldBe(4m);
        batch.Value(Centre, "progress.online_lessons").ShouldBe(5m);
        batch.Value(TeachingPoint, "progress.online_lessons").ShouldBe(7m);
        batch.Value(County, "progress.online_lessons").ShouldBe(22m);
        batch.Facts.ShouldNotContain(f => f.OrgCode == Closed, "a closed school with no lessons gets no facts");

        // Per week: a calendar year takes half of each school year it overlaps, 35 + 35 by default.
        batch.Fact(Primary, "progress.online_lessons_per_week").ShouldBeRatio(6, 35);
        batch.Fact(TeachingPoint, "progress.online_lessons_per_week").ShouldBeRatio(7, 35);

        // Application index: COMPLETED sessions held in enabled classrooms ÷ those classrooms. C001 held 1001 1002 1008
        // 1011 1014, C003 held 1004 1005 1012, C004 held 1007; 1006 ran in the disabled C002 and 1013 in 西吉县's room.
        batch.Fact(County, "progress.classroom_app_index").ShouldBeRatio(9, 3);
        batch.Fact(Primary, "progress.classroom_app_index").ShouldBeRatio(5, 1);
        batch.Fact(Centre, "progress.classroom_app_index").ShouldBeRatio(3, 1);
        batch.Fact(TeachingPoint, "progress.classroom_app_index").ShouldBeRatio(1, 1);
        batch.Fact(Middle, "progress.classroom_app_index").Value.ShouldBeNull("no classroom: 0 ÷ 0 is unknown, not 0");

        batch.Facts.ShouldAllBe(f => f.Source == "progress" && f.Period == "2024");
        var sessions = batch.Report("sessions");
        sessions.Status.ShouldBe(StreamStatus.Succeeded, sessions.Note);
        sessions.RowsKept.ShouldBe(13, "14 sessions less 1010 (2023)");
        sessions.Pages.ShouldBe(7, "13 sessions two to a page");
    }

    [Fact]
    public async Task ReadCountyAsync_SchoolYearWithItsOwnTeachingWeeks_DividesByThem()
    {
        using var harness = new ProgressHarness(new Dictionary<string, string?> { ["Connectors:Progress:TeachingWeeks:2023-2024"] = "36" });
        var (batch, _) = await harness.ReadAsync(County, "2023-2024");

        // 2023-09-01 … 2024-08-31: 1008 and 1012 fall after it; 1010 (2023-11-20, …0003 → …0001) falls in it.
        batch.Value(Primary, "progress.online_lessons").ShouldBe(6m); // hosts 1001 1002 1006 1011 1014, receives 1010
        batch.Value(Middle, "progress.online_lessons").ShouldBe(2m); // receives 1006 1013
        batch.Value(County, "progress.online_lessons").ShouldBe(20m);
        batch.Fact(Primary, "progress.online_lessons_per_week").ShouldBeRatio(6, 36);
        batch.Fact(Primary, "progress.online_lessons_per_week").Detail!.ShouldContain("\"teachingWeeks\":36");
        batch.Fact(County, "progress.classroom_app_index").ShouldBeRatio(8, 3); // C001: 1001 1002 1011 1014; C003: 1004 1005 1010; C004: 1007
    }

    [Fact]
    public async Task ReadCountyAsync_SessionsEnteredWhileThePagesAreRead_SameFactsAsAQuietListing()
    {
        using var quiet = new ProgressHarness();
        var (expected, _) = await quiet.ReadAsync(County, "2024");

        using var harness = new ProgressHarness();
        harness.Fake.Faults.ShiftSessions = true; // 1011 and 1012 are entered while the client pages, one per later page
        harness.Fake.Faults.SessionsPerShift = 1;
        var (batch, context) = await harness.ReadAsync(County, "2024");

        harness.Fake.Count("shift").ShouldBe(2, "the fake entered both late sessions while the listing was read");
        batch.Canonical().ShouldBe(expected.Canonical());
        var report = batch.Report("sessions");
        report.Status.ShouldBe(StreamStatus.Succeeded);
        report.RowsKept.ShouldBe(13);
        report.Note.ShouldNotBeNull().ShouldContain("shifted");
        report.Pages.ShouldBeGreaterThan(7, "windows were read again");
        context.Pages.Count(p => p.Stream == "sessions").ShouldBe(report.Pages, "every answer is archived");
    }

    /// <summary>In the host the window reads are parts of a spool in the database: the recovery gives the same facts and report.</summary>
    [Fact]
    public async Task ReadCountyAsync_ShiftingListingSpooledInPostgreSql_SameFactsAndReportAsInMemory()
    {
        await using var ds = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync());
        var store = new RowSpoolStore(ds);
        CountyBatch inMemory;
        using (var memory = new ProgressHarness())
        {
            memory.Fake.Faults.ShiftSessions = true;
            memory.Fake.Faults.SessionsPerShift = 1;
            inMemory = (await memory.ReadAsync(County, "2024")).Batch;
        }

        using var harness = new ProgressHarness();
        harness.Fake.Faults.ShiftSessions = true;
        harness.Fake.Faults.SessionsPerShift = 1;
        var (batch, _) = await harness.ReadAsync(County, "2024", new DirectoryContext(harness.Region) { Spools = store });

        harness.Fake.Count("shift").ShouldBe(2);
        batch.Canonical().ShouldBe(inMemory.Canonical());
        batch.Report("sessions").ShouldBe(inMemory.Report("sessions"));
        batch.Report("sessions").Note.ShouldNotBeNull().ShouldContain("shifted");
        (await store.OpenCountAsync(CancellationToken.None)).ShouldBe(0);
    }

    [Fact]
    public async Task ReadCountyAsync_ListingThatKeepsShiftingPastTheBound_FailsTheSessionsAloneWithWhatWasTried()
    {
        using var harness = new ProgressHarness(new Dictionary<string, string?> { ["Connectors:Progress:SessionWindowReads"] = "1" });
        harness.Fake.Faults.ShiftSessions = true;
        var (batch, _) = await harness.ReadAsync(County, "2024");

        var sessions = batch.Report("sessions");
        sessions.Status.ShouldBe(StreamStatus.Failed);
        sessions.Note.ShouldNotBeNull().ShouldContain("kept shifting");
        sessions.Note.ShouldContain("SessionWindowReads");
        batch.Facts.ShouldNotContain(f => f.IndicatorCode == "progress.online_lessons", "no partial lesson counts");
        batch.Value(County, "progress.interactive_classrooms").ShouldBe(3m, "the classrooms stream still stands");
    }
}
