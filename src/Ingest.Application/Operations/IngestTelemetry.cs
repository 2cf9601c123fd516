using System.Diagnostics;
using System.Diagnostics.Metrics;
using Ingest.Connectors.Http;
using Ingest.Core.Connectors;
using Ingest.Data.Runs;

namespace Ingest.Application.Operations;

/// <summary>
/// The service's own metrics and traces (meter and activity source <see cref="Name"/>): rows read, pages, facts written,
/// unit duration, re-score duration; a trace per unit. The upstreams' errors and rate-limit waits are the connectors'
/// meter (<see cref="UpstreamMetrics"/>).
/// </summary>
public static class IngestTelemetry
{
    public const string Name = "Ingest";

    public static readonly ActivitySource Activities = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Buckets for durations in seconds: from a few milliseconds to an hour.</summary>
    public static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
    };

    private static readonly Counter<long> RowsRead = Meter.CreateCounter<long>("ingest.rows.read", "{row}", "Upstream rows read, by connector and stream");

    private static readonly Counter<long> Pages = Meter.CreateCounter<long>("ingest.pages", "{page}", "Upstream pages (answers) read, by connector and stream");

    private static readonly Counter<long> FactsWritten = Meter.CreateCounter<long>("ingest.facts.written", "{fact}",
        "Facts a committed unit wrote, by connector and change (inserted, updated, unchanged)");

    private static readonly Histogram<double> UnitDuration = Meter.CreateHistogram("ingest.unit.duration", "s",
        "Time a unit took, by connector and how it ended", advice: Seconds);

    private static readonly Histogram<double> RescoreDuration = Meter.CreateHistogram("ingest.rescore.duration", "s",
        "Time re-scoring the scoresheets after a run took", advice: Seconds);

    /// <summary>What a committed unit read and wrote.</summary>
    public static void Committed(UnitKey unit, CountyBatch batch, UnitOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(outcome);
        foreach (var stream in batch.Streams)
        {
            var tags = new TagList { { "connector", unit.Connector }, { "stream", stream.Stream } };
            RowsRead.Add(stream.RowsRead, tags);
            Pages.Add(stream.Pages, tags);
        }

        FactsWritten.Add(outcome.FactsInserted, new TagList { { "connector", unit.Connector }, { "change", "inserted" } });
        FactsWritten.Add(outcome.FactsUpdated, new TagList { { "connector", unit.Connector }, { "change", "updated" } });
        FactsWritten.Add(outcome.FactsUnchanged, new TagList { { "connector", unit.Connector }, { "change", "unchanged" } });
    }

    public static void UnitEnded(string connector, string status, TimeSpan elapsed) =>
        UnitDuration.Record(elapsed.TotalSeconds, new TagList { { "connector", connector }, { "status", status } });

    public static void Rescored(TimeSpan elapsed) => RescoreDuration.Record(elapsed.TotalSeconds);
}
