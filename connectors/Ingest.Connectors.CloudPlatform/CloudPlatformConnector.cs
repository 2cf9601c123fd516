using Ingest.Connectors.CloudPlatform.Api;
using Ingest.Connectors.CloudPlatform.Client;
using Ingest.Connectors.CloudPlatform.Normalization;
using Ingest.Connectors.Http;
using Ingest.Core.Connectors;
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
public sealed partial class CloudPlatformConnector(IServiceScopeFactory scopes, ListingReader reader, IOptions<CloudPlatformOptions> options)
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
        var scope = scopes.CreateAsyncScope();
        await using var scopeDisposal = scope.ConfigureAwait(false);
        var api = scope.ServiceProvider.GetRequiredService<ICloudPlatformApi>();
        var counties = await reader.ReadPagesAsync(new StreamScope(Orgs, null, null),
            (auth, pageNo, size) => api.OrgsAsync(auth, "county", null, pageNo, size, cancellationToken),
            CloudJsonContext.Default.EnvelopePageDataOrgDto, r => r.OrgCode, context, cancellationToken).ConfigureAwait(false);
        return OrganisationMapper.Counties(counties.Rows);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Organisation>> ReadSchoolsAsync(string countyCode, IIngestionContext context, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using var scopeDisposal = scope.ConfigureAwait(false);
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
        var scope = scopes.CreateAsyncScope();
        await using var scopeDisposal = scope.ConfigureAwait(false);
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
}
