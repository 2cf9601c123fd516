using System.Globalization;
using Ingest.Connectors.CloudPlatform.Api;
using Ingest.Connectors.CloudPlatform.Client;
using Ingest.Connectors.CloudPlatform.Normalization;
using Ingest.Connectors.Http;
using Ingest.Core.Connectors;
using Ingest.Core.Facts;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;

namespace Ingest.Connectors.CloudPlatform;

public sealed partial class CloudPlatformConnector
{
    private async Task<List<IndicatorFact>> ReadStreamsAsync(ICloudPlatformApi api, string county, Period period, Organisation[] schools, List<StreamReport> reports,
        IIngestionContext context, CancellationToken cancellationToken)
    {
        var (pageSize, cursorLimit) = (options.Value.PageSize, options.Value.CursorLimit);
        var facts = new List<IndicatorFact>();
        foreach (var stream in Streams.Where(s => s.Accepts(period)))
        {
            var streamScope = new StreamScope(stream.Name, county, period.Code);
            var (listing, normalized) = stream.Name switch
            {
                // Teacher listings are spooled and added up a row at a time: a county's teachers never sit in memory at once.
                TeacherActivity => await SpoolAsync(stream.Name, context,
                    spool => reader.SpoolCursorAsync(streamScope, (auth, cursor, limit) => api.TeacherActivityAsync(auth, county, period.Code, cursor, limit, cancellationToken),
                        CloudJsonContext.Default.EnvelopeCursorDataTeacherActivityDto, r => r.UserId, CloudJsonContext.Default.TeacherActivityDto, spool, context,
                        cancellationToken),
                    new TeacherActivityTally(options.Value.SpaceActiveExperience), (t, r) => t.Add(r), t => t.Normalize(county, period, schools), cursorLimit, cancellationToken).ConfigureAwait(false),
                LiteracyAssessment => await SpoolAsync(stream.Name, context,
                    spool => reader.SpoolPagesAsync(streamScope, (auth, pageNo, size) => api.LiteracyAssessmentAsync(auth, county, period.Code, pageNo, size, cancellationToken),
                        CloudJsonContext.Default.EnvelopePageDataLiteracyDto, r => r.UserId, CloudJsonContext.Default.LiteracyDto, spool, context, cancellationToken),
                    new LiteracyTally(), (t, r) => t.Add(r), t => t.Normalize(county, period, schools), pageSize, cancellationToken).ConfigureAwait(false),
                // One row per school at most: held in memory.
                SchoolContent => await ReadAsync(
                    reader.ReadPagesAsync(streamScope, (auth, pageNo, size) => api.SchoolContentAsync(auth, county, period.Code, pageNo, size, cancellationToken),
                        CloudJsonContext.Default.EnvelopePageDataSchoolContentDto, r => r.OrgCode, context, cancellationToken),
                    rows => CloudNormalizer.SchoolContent(county, period, schools, rows), pageSize).ConfigureAwait(false),
                _ => await ReadAsync(
                    reader.ReadPagesAsync(streamScope, (auth, pageNo, size) => api.StudentSpaceAsync(auth, county, period.Code, pageNo, size, cancellationToken),
                        CloudJsonContext.Default.EnvelopePageDataStudentSpaceDto, r => r.OrgCode, context, cancellationToken),
                    rows => CloudNormalizer.StudentSpace(county, period, schools, rows), pageSize).ConfigureAwait(false),
            };
            var report = await JudgeAsync(stream.Name, county, period, listing, normalized, context, cancellationToken).ConfigureAwait(false);
            reports.Add(report);
            if (report.FactsEmitted > 0)
            {
                facts.AddRange(normalized.Facts);
            }
        }

        return facts;
    }

    private static async Task<(ListingSummary Listing, NormalizedRows Normalized)> ReadAsync<T>(
        Task<Listing<T>> read, Func<IReadOnlyCollection<T>, NormalizedRows> normalize, int pageSize)
    {
        var listing = await read.ConfigureAwait(false);
        return (ListingSummary.Of(listing.Counts, pageSize), normalize([.. listing.Rows]));
    }

    /// <summary>Reads a listing into a spool of its own, then adds its rows up one at a time; the spool is dropped after.</summary>
    private static async Task<(ListingSummary Listing, NormalizedRows Normalized)> SpoolAsync<T, TTally>(string stream, IIngestionContext context,
        Func<IRowSpool, Task<SpooledListing<T>>> read, TTally tally, Action<TTally, T> add, Func<TTally, NormalizedRows> normalize, int pageSize,
        CancellationToken cancellationToken)
    {
        var spool = await context.OpenSpoolAsync(stream, cancellationToken).ConfigureAwait(false);
        await using var spoolDisposal = spool.ConfigureAwait(false);
        var listing = await read(spool).ConfigureAwait(false);
        await foreach (var row in listing.RowsAsync(cancellationToken).ConfigureAwait(false))
        {
            add(tally, row);
        }

        return (ListingSummary.Of(listing.Counts, pageSize), normalize(tally));
    }

    /// <summary>The stream's report (<see cref="StreamVerdict"/>): repeats and restarts are noted, rows without their key flag it.</summary>
    private Task<StreamReport> JudgeAsync(string stream, string county, Period period, ListingSummary listing, NormalizedRows normalized,
        IIngestionContext context, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        if (listing.Repeats > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{listing.Repeats} repeated rows kept once (the later copy)"));
        }

        if (listing.Restarts > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"cursor expired (40401); stream read again from the start {listing.Restarts} times"));
        }

        string[] flags = listing.RowsWithoutKey > 0 ? [string.Create(CultureInfo.InvariantCulture, $"{listing.RowsWithoutKey} rows without their key left out")] : [];
        return StreamVerdict.JudgeAsync(stream, county, period, new StreamRead(listing.Pages, listing.RowsRead, listing.Kept, listing.Needed, notes, flags), normalized,
            options.Value.ZeroRowsFlagThreshold, context, cancellationToken);
    }

    /// <param name="Needed">The fewest pages the rows kept fit in (at least one): the request floor of the listing.</param>
    private sealed record ListingSummary(int Pages, long RowsRead, long Kept, long Repeats, int Restarts, int RowsWithoutKey, int Needed)
    {
        public static ListingSummary Of(ListingCounts c, int pageSize) =>
            new(c.Pages, c.RowsRead, c.Kept, c.Repeats, c.Restarts, c.RowsWithoutKey, (int)Math.Max(1, (c.Kept + pageSize - 1) / pageSize));
    }
}
