using System.Globalization;
using Ingest.Connectors.Http;
using Ingest.Connectors.Progress.Api;
using Ingest.Connectors.Progress.Client;
using Ingest.Connectors.Progress.Normalization;
using Ingest.Core.Connectors;
using Ingest.Core.Facts;
using Ingest.Core.Periods;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ingest.Connectors.Progress;

/// <summary>
/// The progress system (教育信息化工作进展系统): per county and period the online interactive classrooms, and either
/// the "三个课堂" sessions (calendar or school year) or the nightly infrastructure export (a night), normalised into
/// <c>progress.*</c> facts. The system has no directory of its own: the county's schools come from the region's
/// organisation directory through the host.
/// </summary>
/// <remarks>
/// The sessions and the export are isolated from each other and from the classrooms: one that fails is reported
/// failed with its reason and its facts are left out, while the others are still written. A refused key (403)
/// or a classroom listing that cannot be read fails the unit as a whole.
/// </remarks>
public sealed partial class ProgressConnector(
    IServiceScopeFactory scopes,
    ProgressClient client,
    SessionReader sessionReader,
    IOptions<ProgressOptions> options)
    : IConnector
{
    public const string ConnectorName = "progress";
    public const string ClassroomsStream = "classrooms";
    public const string SessionsStream = "sessions";
    public const string ExportStream = "infrastructure-export";
    private const string ClassroomIndex = "progress.classroom_app_index";

    public string Name => ConnectorName;

    public IReadOnlyList<StreamDescriptor> Streams { get; } =
    [
        new(ClassroomsStream, new HashSet<PeriodKind> { PeriodKind.CalendarYear, PeriodKind.SchoolYear, PeriodKind.HalfYear, PeriodKind.Day }),
        new(SessionsStream, new HashSet<PeriodKind> { PeriodKind.CalendarYear, PeriodKind.SchoolYear, PeriodKind.HalfYear }),
        new(ExportStream, new HashSet<PeriodKind> { PeriodKind.Day }),
    ];

    public async Task<CountyBatch> ReadCountyAsync(CountyWork work, IIngestionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(context);
        var (county, period) = (work.CountyCode, work.Period);
        var schools = await context.SchoolsAsync(county, cancellationToken).ConfigureAwait(false);
        var scope = scopes.CreateAsyncScope();
        await using var scopeDisposal = scope.ConfigureAwait(false);
        var api = scope.ServiceProvider.GetRequiredService<IProgressApi>();

        var roomScope = new StreamScope(ClassroomsStream, county, period.Code);
        var roomAnswer = await client.GetAsync(roomScope, new SequenceCounter(), () => api.ClassroomsAsync(county, cancellationToken), context, cancellationToken)
            .ConfigureAwait(false);
        var rooms = ProgressClient.Parse(roomScope, roomAnswer, ProgressJsonContext.Default.ClassroomDtoArray);
        var roomFacts = ProgressNormalizer.Classrooms(county, period, schools, rooms);
        var reports = new List<StreamReport>
        {
            await JudgeAsync(ClassroomsStream, county, period, new Read(1, rooms.Length, rooms.Length, null, 1), roomFacts, context, cancellationToken).ConfigureAwait(false),
        };
        var facts = new List<IndicatorFact>(reports[0].FactsEmitted > 0 ? roomFacts.Facts : []);

        var stream = period.Kind == PeriodKind.Day ? ExportStream : SessionsStream;
        try
        {
            var (read, normalized) = stream == ExportStream
                ? await ReadExportAsync(api, county, period, schools, context, cancellationToken).ConfigureAwait(false)
                : await ReadSessionsAsync(api, county, period, schools, rooms, context, cancellationToken).ConfigureAwait(false);
            facts.AddRange(await AddAsync(stream, county, period, read, normalized, reports, context, cancellationToken).ConfigureAwait(false));
        }
        catch (ExportFailedException e)
        {
            reports.Add(new StreamReport(stream, StreamStatus.Failed, e.Pages, e.Lines, 0, 0, e.Message, e.Pages == 0 ? 0 : 1));
        }
        catch (ConnectorException e) when (e is not KeyRefusedException)
        {
            reports.Add(new StreamReport(stream, StreamStatus.Failed, 0, 0, 0, 0, e.Message));
        }

        return new CountyBatch(facts, [], reports);
    }

    /// <summary>
    /// The county's periods of a night read together: the directory and the classroom listing (a snapshot, the same
    /// whatever the period) once, the sessions once for each window the periods' dates make when overlapping or adjacent
    /// ones are joined (a calendar year and the school year that starts in it: one read), each period counting the
    /// sessions that start within it; the export once per night asked for. The classroom listing and the sessions read
    /// for several periods are archived under no period and under the periods' codes joined by <c>+</c>.
    /// </summary>
    public async Task<IReadOnlyList<PeriodRead>> ReadCountyNightAsync(CountyNight work, IIngestionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(context);
        if (work.Periods.Count == 1)
        {
            var only = work.Periods[0];
            return [new PeriodRead(only, await ReadCountyAsync(new CountyWork(work.RunId, work.CountyCode, only), context, cancellationToken).ConfigureAwait(false), null)];
        }

        var county = work.CountyCode;
        var schools = await context.SchoolsAsync(county, cancellationToken).ConfigureAwait(false);
        var scope = scopes.CreateAsyncScope();
        await using var scopeDisposal = scope.ConfigureAwait(false);
        var api = scope.ServiceProvider.GetRequiredService<IProgressApi>();
        var roomScope = new StreamScope(ClassroomsStream, county, null);
        var roomAnswer = await client.GetAsync(roomScope, new SequenceCounter(), () => api.ClassroomsAsync(county, cancellationToken), context, cancellationToken)
            .ConfigureAwait(false);
        var rooms = ProgressClient.Parse(roomScope, roomAnswer, ProgressJsonContext.Default.ClassroomDtoArray);

        // Sessions: one read per window of joined periods into a spool, then added up for each period of it in one pass.
        var sessions = new Dictionary<string, (Read Read, NormalizedRows Normalized)>(StringComparer.Ordinal);
        var failed = new Dictionary<string, Exception>(StringComparer.Ordinal);
        foreach (var window in Windows(work.Periods.Where(p => p.Kind != PeriodKind.Day)))
        {
            var label = string.Join('+', window.Periods.Select(p => p.Code));
            try
            {
                var spool = await context.OpenSpoolAsync(SessionsStream, cancellationToken).ConfigureAwait(false);
                await using var spoolDisposal = spool.ConfigureAwait(false);
                var listing = await sessionReader.ReadAsync(api, new StreamScope(SessionsStream, county, label), window.First, window.Last, spool, context, cancellationToken)
                    .ConfigureAwait(false);
                var tallies = window.Periods.Select(p => new ProgressNormalizer.SessionTally(p, schools)).ToArray();
                await foreach (var session in SessionReader.SessionsAsync(spool, cancellationToken).ConfigureAwait(false))
                {
                    foreach (var tally in tallies.Where(t => window.Periods.Count == 1 || ProgressNormalizer.InShare(t.Period, window.First, window.Last, session)))
                    {
                        tally.Add(session);
                    }
                }

                var shared = window.Periods.Count > 1
                    ? string.Create(CultureInfo.InvariantCulture, $"read once for {label} ({window.First:yyyy-MM-dd} to {window.Last:yyyy-MM-dd})")
                    : null;
                var note = string.Join("; ", new[] { listing.Note, shared }.Where(n => n is not null));
                for (var i = 0; i < window.Periods.Count; i++)
                {
                    var own = tallies[i].Count;
                    // Each period counts its share of the rows; the pages, and the repeats the listing returned, go with the first.
                    var read = i == 0 ? Math.Max(own, listing.RowsRead - tallies.Skip(1).Sum(t => t.Count)) : own;
                    var period = window.Periods[i];
                    sessions[period.Code] = (new Read(i == 0 ? listing.Pages : 0, read, own, note.Length == 0 ? null : note,
                        i == 0 ? Needed(listing.Sessions, options.Value.SessionsPageSize) : 0),
                        tallies[i].Normalize(county, rooms, options.Value.WeeksOf(period)));
                }
            }
            catch (ConnectorException e) when (e is not KeyRefusedException)
            {
                foreach (var period in window.Periods)
                {
                    failed[period.Code] = e;
                }
            }
        }

        var reads = new List<PeriodRead>();
        for (var i = 0; i < work.Periods.Count; i++)
        {
            var period = work.Periods[i];
            var roomFacts = ProgressNormalizer.Classrooms(county, period, schools, rooms);
            var reports = new List<StreamReport>
            {
                // The listing was read once, for the first period; the others count its rows as their own.
                await JudgeAsync(ClassroomsStream, county, period, new Read(i == 0 ? 1 : 0, rooms.Length, rooms.Length, null, i == 0 ? 1 : 0), roomFacts, context,
                    cancellationToken).ConfigureAwait(false),
            };
            var facts = new List<IndicatorFact>(reports[0].FactsEmitted > 0 ? roomFacts.Facts : []);
            var stream = period.Kind == PeriodKind.Day ? ExportStream : SessionsStream;
            try
            {
                var (read, normalized) = stream == ExportStream
                    ? await ReadExportAsync(api, county, period, schools, context, cancellationToken).ConfigureAwait(false)
                    : failed.TryGetValue(period.Code, out var error) ? throw error
                    : sessions[period.Code];
                facts.AddRange(await AddAsync(stream, county, period, read, normalized, reports, context, cancellationToken).ConfigureAwait(false));
            }
            catch (ExportFailedException e)
            {
                reports.Add(new StreamReport(stream, StreamStatus.Failed, e.Pages, e.Lines, 0, 0, e.Message, e.Pages == 0 ? 0 : 1));
            }
            catch (ConnectorException e) when (e is not KeyRefusedException)
            {
                reports.Add(new StreamReport(stream, StreamStatus.Failed, 0, 0, 0, 0, e.Message));
            }

            reads.Add(new PeriodRead(period, new CountyBatch(facts, [], reports), null));
        }

        return reads;
    }
}
