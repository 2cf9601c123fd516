using Ingest.Connectors.Http;
using System.Globalization;
using Ingest.Connectors.CloudPlatform.Api;
using Ingest.Connectors.CloudPlatform.Client;
using Ingest.Connectors.CloudPlatform.Normalization;
using Ingest.Core.Connectors;
using Ingest.Core.Facts;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ingest.Connectors.CloudPlatform;

/// <summary>
/// The Education Cloud (宁夏教育云): the organisation directory, and per county and period the teacher-activity,
/// school-content, literacy-assessment and student-space streams, normalised into <c>cloud.*</c> facts.
/// </summary>
/// <remarks>
/// The connector lives as long as the host; each read takes its HTTP client from a scope of its own, so the
/// client factory can rotate connection handlers.
/// </remarks>
public sealed class CloudPlatformConnector(IServiceScopeFactory scopes, ListingReader reader, IOptions<CloudPlatformOptions> options)
    : IConnector, IOrganisationDirectory
{
    public const string ConnectorName = "cloud";
    public const string Orgs = "orgs";
    public const string TeacherActivity = "teacher-activity";
    public const string SchoolContent = "school-content";
    public const string LiteracyAssessment = "literacy-assessment";
    public const string StudentSpace = "student-space";

    public string Name => ConnectorName;

    /// <summary>Calendar or school year as the contract allows per endpoint (literacy takes a calendar <c>year</c>).</summary>
    public IReadOnlyList<StreamDescriptor> Streams { get; } =
    [
        new(TeacherActivity, new HashSet<PeriodKind> { PeriodKind.CalendarYear, PeriodKind.SchoolYear }),
        new(SchoolContent, new HashSet<PeriodKind> { PeriodKind.SchoolYear }),
        new(LiteracyAssessment, new HashSet<PeriodKind> { PeriodKind.CalendarYear }),
        new(StudentSpace, new HashSet<PeriodKind> { PeriodKind.SchoolYear }),
    ];

    /// <inheritdoc />
    public async Task<IReadOnlyList<Organisation>> ReadCountiesAsync(IIngestionContext context, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var api = scope.ServiceProvider.GetRequiredService<ICloudPlatformApi>();
        var counties = await reader.ReadPagesAsync(new StreamScope(Orgs, null, null),
            (auth, pageNo, size) => api.OrgsAsync(auth, "county", null, pageNo, size, cancellationToken),
            CloudJsonContext.Default.EnvelopePageDataOrgDto, r => r.OrgCode, context, cancellationToken).ConfigureAwait(false);
        return OrganisationMapper.Counties(counties.Rows);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Organisation>> ReadSchoolsAsync(string countyCode, IIngestionContext context, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var api = scope.ServiceProvider.GetRequiredService<ICloudPlatformApi>();
        var orgs = await reader.ReadPagesAsync(new StreamScope(Orgs, countyCode, null),
            (auth, pageNo, size) => api.OrgsAsync(auth, "school", countyCode, pageNo, size, cancellationToken),
            CloudJsonContext.Default.EnvelopePageDataOrgDto, r => r.OrgCode, context, cancellationToken).ConfigureAwait(false);
        return OrganisationMapper.County(countyCode, orgs.Rows).Where(o => o.Level == OrgLevel.School).ToArray();
    }

    /// <inheritdoc />
    public async Task<CountyBatch> ReadCountyAsync(CountyWork work, IIngestionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var reads = await ReadCountyNightAsync(new CountyNight(work.RunId, work.CountyCode, [work.Period]), context, cancellationToken).ConfigureAwait(false);
        return reads[0].Error is { } error ? throw error : reads[0].Batch!;
    }

    /// <summary>
    /// The county's periods of a night read together: the county's directory (the same whatever the period) once, then
    /// each period's streams. The directory's report goes with every period; its pages count in the first.
    /// </summary>
    public async Task<IReadOnlyList<PeriodRead>> ReadCountyNightAsync(CountyNight work, IIngestionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(context);
        var county = work.CountyCode;
        await using var scope = scopes.CreateAsyncScope();
        var api = scope.ServiceProvider.GetRequiredService<ICloudPlatformApi>();
        var orgs = await reader.ReadPagesAsync(new StreamScope(Orgs, county, null),
            (auth, pageNo, size) => api.OrgsAsync(auth, "school", county, pageNo, size, cancellationToken),
            CloudJsonContext.Default.EnvelopePageDataOrgDto, r => r.OrgCode, context, cancellationToken).ConfigureAwait(false);
        var organisations = OrganisationMapper.County(county, orgs.Rows);
        var schools = organisations.Where(o => o.Level == OrgLevel.School).ToArray();
        var orgNotes = schools.Length < orgs.Rows.Count ? new[] { $"{orgs.Rows.Count - schools.Length} rows without a 10-digit school code left out" } : [];
        var pageSize = options.Value.PageSize;
        var reads = new List<PeriodRead>();
        foreach (var period in work.Periods)
        {
            var first = reads.Count == 0;
            var orgListing = ListingSummary.Of(orgs.Counts, pageSize) is var l && first ? l : l with { Pages = 0, Needed = 0 };
            var reports = new List<StreamReport>
            {
                await JudgeAsync(Orgs, county, period, orgListing, new NormalizedRows([], orgs.Rows.Count - schools.Length, orgNotes), context, cancellationToken).ConfigureAwait(false),
            };
            try
            {
                var facts = await ReadStreamsAsync(api, county, period, schools, reports, context, cancellationToken).ConfigureAwait(false);
                reads.Add(new PeriodRead(period, new CountyBatch(facts, organisations, reports), null));
            }
            catch (Exception e) when (e is not OperationCanceledException && work.Periods.Count > 1)
            {
                reads.Add(new PeriodRead(period, null, e));
            }
        }

        return reads;
    }

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
                    new TeacherActivityTally(), (t, r) => t.Add(r), t => t.Normalize(county, period, schools), cursorLimit, cancellationToken).ConfigureAwait(false),
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
        await using var spool = await context.OpenSpoolAsync(stream, cancellationToken).ConfigureAwait(false);
        var listing = await read(spool).ConfigureAwait(false);
        await foreach (var row in listing.RowsAsync(cancellationToken).ConfigureAwait(false))
        {
            add(tally, row);
        }

        return (ListingSummary.Of(listing.Counts, pageSize), normalize(tally));
    }

    /// <summary>
    /// The stream's report. No rows where the previous run kept many is flagged and its facts are not written,
    /// so a silent upstream never overwrites good figures with zeros; rows left out or schools missing from the
    /// directory are flagged with the reason; repeats and restarts are noted.
    /// </summary>
    private async Task<StreamReport> JudgeAsync(string stream, string county, Period period, ListingSummary listing, NormalizedRows normalized,
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

        if (listing.RowsWithoutKey > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{listing.RowsWithoutKey} rows without their key left out"));
        }

        notes.AddRange(normalized.Notes);
        var kept = listing.Kept - normalized.Rejected;
        var status = normalized.Rejected > 0 || normalized.Notes.Count > 0 || listing.RowsWithoutKey > 0 ? StreamStatus.Flagged : StreamStatus.Succeeded;
        var facts = normalized.Facts.Count;
        if (listing.Kept == 0)
        {
            var previous = await context.PreviousReportAsync(stream, county, period.Code, cancellationToken).ConfigureAwait(false);
            if (previous is { RowsKept: var before } && before >= options.Value.ZeroRowsFlagThreshold)
            {
                status = StreamStatus.Flagged;
                facts = 0;
                notes.Insert(0, string.Create(CultureInfo.InvariantCulture,
                    $"no rows, where the previous run kept {before}; the facts of the previous run are left in place"));
            }
        }

        return new StreamReport(stream, status, listing.Pages, listing.RowsRead, kept, facts, notes.Count == 0 ? null : string.Join("; ", notes), listing.Needed);
    }

    /// <param name="Needed">The fewest pages the rows kept fit in (at least one): the request floor of the listing.</param>
    private sealed record ListingSummary(int Pages, long RowsRead, long Kept, long Repeats, int Restarts, int RowsWithoutKey, int Needed)
    {
        public static ListingSummary Of(ListingCounts c, int pageSize) =>
            new(c.Pages, c.RowsRead, c.Kept, c.Repeats, c.Restarts, c.RowsWithoutKey, (int)Math.Max(1, (c.Kept + pageSize - 1) / pageSize));
    }
}
