using Ingest.Connectors.Http;
using Ingest.Core.Connectors;
using Ingest.Core.Facts;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;

namespace Ingest.Connectors.Progress.Tests;

/// <summary>The one rule both connectors judge a stream by (docs/domain.md, "A silent upstream").</summary>
public class StreamVerdictTests
{
    private static readonly Period Year = Period.CalendarYear(2024);

    [Fact]
    public async Task An_empty_stream_after_a_run_that_kept_twelve_rows_keeps_the_old_facts_and_is_flagged()
    {
        var report = await StreamVerdict.JudgeAsync("sessions", "640424", Year, new StreamRead(1, 0, 0, 1, [], []), new NormalizedRows([], 0, []),
            zeroRowsThreshold: 10, new Previous(12), CancellationToken.None);

        (report.Status, report.FactsEmitted, report.RowsKept).ShouldBe((StreamStatus.Flagged, 0, 0L));
        report.Note.ShouldBe("no rows, where the previous run kept 12; the facts of the previous run are left in place");
    }

    [Fact]
    public async Task An_empty_stream_after_a_run_that_kept_three_rows_is_taken_as_it_is()
    {
        var report = await StreamVerdict.JudgeAsync("sessions", "640424", Year, new StreamRead(1, 0, 0, 1, [], []), new NormalizedRows([], 0, []),
            zeroRowsThreshold: 10, new Previous(3), CancellationToken.None);

        (report.Status, report.Note).ShouldBe((StreamStatus.Succeeded, null));
    }

    [Fact]
    public async Task Rows_left_out_are_taken_from_the_rows_kept_and_flag_the_stream_while_a_read_note_alone_does_not()
    {
        var fact = new IndicatorFact("2104240001", "cloud.app_index", Year.Code, "cloud", 1m);
        var rejected = await StreamVerdict.JudgeAsync("app-index", "640424", Year, new StreamRead(2, 5, 5, 1, ["2 repeated rows kept once (the later copy)"], []),
            new NormalizedRows([fact], 2, SchoolRows.Notes(2, "without a school code", [], [])), 10, new Previous(null), CancellationToken.None);
        (rejected.Status, rejected.RowsKept).ShouldBe((StreamStatus.Flagged, 3L));
        rejected.Note.ShouldBe("2 repeated rows kept once (the later copy); 2 rows left out: without a school code");

        var noted = await StreamVerdict.JudgeAsync("app-index", "640424", Year, new StreamRead(2, 5, 5, 1, ["2 repeated rows kept once (the later copy)"], []),
            new NormalizedRows([fact], 0, []), 10, new Previous(null), CancellationToken.None);
        (noted.Status, noted.RowsKept).ShouldBe((StreamStatus.Succeeded, 5L));
    }

    [Fact]
    public void A_school_code_is_ten_digits_and_unknown_schools_are_named_five_at_most()
    {
        (SchoolRows.IsSchoolCode("2104240001"), SchoolRows.IsSchoolCode("210424000"), SchoolRows.IsSchoolCode("21042400x1")).ShouldBe((true, false, false));
        var known = new Organisation("2104240001", "城关一小", OrgLevel.School, "640424");
        SchoolRows.Notes(0, "", [known], ["2104240001", "2104240002", "2104240003", "2104240004", "2104240005", "2104240006", "2104240007"])
            .ShouldBe(["6 schools not in the directory: 2104240002, 2104240003, 2104240004, 2104240005, 2104240006, …"]);
    }

    private sealed class Previous(long? kept) : IIngestionContext
    {
        public long RunId => 2;

        public Task ArchiveAsync(RawPage page, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<StreamReport?> PreviousReportAsync(string stream, string countyCode, string period, CancellationToken cancellationToken) =>
            Task.FromResult(kept is { } k ? new StreamReport(stream, StreamStatus.Succeeded, 1, k, k, (int)k) : null);

        public Task<IReadOnlyList<Organisation>> SchoolsAsync(string countyCode, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<Organisation>>([]);

        public void ReportProgress(string stream, long rowsRead)
        {
        }
    }
}
