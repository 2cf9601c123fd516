using System.Globalization;
using Ingest.Connectors.Http;
using Ingest.Connectors.Progress.Api;
using Ingest.Connectors.Progress.Client;
using Ingest.Connectors.Progress.Export;
using Ingest.Connectors.Progress.Normalization;
using Ingest.Core.Connectors;
using Ingest.Core.Facts;
using Ingest.Core.Organisations;
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
public sealed class ProgressConnector(
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
        new(ClassroomsStream, new HashSet<PeriodKind> { PeriodKind.CalendarYear, PeriodKind.SchoolYear, PeriodKind.Day }),
        new(SessionsStream, new HashSet<PeriodKind> { PeriodKind.CalendarYear, PeriodKind.SchoolYear }),
        new(ExportStream, new HashSet<PeriodKind> { PeriodKind.Day }),
    ];

    public async Task<CountyBatch> ReadCountyAsync(CountyWork work, IIngestionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(context);
        var (county, period) = (work.CountyCode, work.Period);
        var schools = await context.SchoolsAsync(county, cancellationToken).ConfigureAwait(false);
        await using var scope = scopes.CreateAsyncScope();
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
        await using var scope = scopes.CreateAsyncScope();
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
                await using var spool = await context.OpenSpoolAsync(SessionsStream, cancellationToken).ConfigureAwait(false);
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

    /// <summary>The periods grouped into date windows: overlapping or adjacent ones joined, in date order.</summary>
    internal static IReadOnlyList<(DateOnly First, DateOnly Last, IReadOnlyList<Period> Periods)> Windows(IEnumerable<Period> periods)
    {
        var windows = new List<(DateOnly First, DateOnly Last, List<Period> Periods)>();
        foreach (var period in periods.OrderBy(p => p.Start).ThenBy(p => p.End))
        {
            if (windows.Count > 0 && period.Start <= windows[^1].Last.AddDays(1))
            {
                var last = windows[^1];
                last.Periods.Add(period);
                windows[^1] = (last.First, period.End > last.Last ? period.End : last.Last, last.Periods);
            }
            else
            {
                windows.Add((period.Start, period.End, [period]));
            }
        }

        return windows.Select(w => (w.First, w.Last, (IReadOnlyList<Period>)w.Periods)).ToArray();
    }

    private static int Needed(long rows, int pageSize) => (int)Math.Max(1, (rows + pageSize - 1) / pageSize);

    /// <summary>Judges a stream, adds its report, and answers its facts when they are to be written.</summary>
    private async Task<IReadOnlyList<IndicatorFact>> AddAsync(string stream, string county, Period period, Read read, NormalizedRows normalized,
        List<StreamReport> reports, IIngestionContext context, CancellationToken cancellationToken)
    {
        if (reports[0].FactsEmitted == 0 && normalized.Facts.Any(f => f.IndicatorCode == ClassroomIndex))
        {
            // The classroom listing fell silent and its figures were withheld: an index over no classrooms would be as wrong.
            normalized = normalized with
            {
                Facts = [.. normalized.Facts.Where(f => f.IndicatorCode != ClassroomIndex)],
                Notes = [.. normalized.Notes, "the classroom application index is withheld with the classrooms"],
            };
        }

        var report = await JudgeAsync(stream, county, period, read, normalized, context, cancellationToken).ConfigureAwait(false);
        reports.Add(report);
        return report.FactsEmitted > 0 ? normalized.Facts : [];
    }

    private async Task<(Read, NormalizedRows)> ReadSessionsAsync(IProgressApi api, string county, Period period, IReadOnlyList<Organisation> schools,
        ClassroomDto[] rooms, IIngestionContext context, CancellationToken cancellationToken)
    {
        await using var spool = await context.OpenSpoolAsync(SessionsStream, cancellationToken).ConfigureAwait(false);
        var listing = await sessionReader.ReadAsync(api, new StreamScope(SessionsStream, county, period.Code), period.Start, period.End, spool, context, cancellationToken)
            .ConfigureAwait(false);
        var tally = new ProgressNormalizer.SessionTally(period, schools);
        await foreach (var session in SessionReader.SessionsAsync(spool, cancellationToken).ConfigureAwait(false))
        {
            tally.Add(session);
        }

        var normalized = tally.Normalize(county, rooms, options.Value.WeeksOf(period));
        return (new Read(listing.Pages, listing.RowsRead, listing.Sessions, listing.Note, Needed(listing.Sessions, options.Value.SessionsPageSize)), normalized);
    }

    /// <summary>
    /// The export of the period's night or, where that night has none (404), of the latest of the nights before it
    /// within <see cref="ProgressOptions.ExportFallbackNights"/>; every fact names the night it came from.
    /// </summary>
    private async Task<(Read, NormalizedRows)> ReadExportAsync(IProgressApi api, string county, Period period, IReadOnlyList<Organisation> schools,
        IIngestionContext context, CancellationToken cancellationToken)
    {
        var scope = new StreamScope(ExportStream, county, period.Code);
        var sequence = new SequenceCounter();
        var fallback = options.Value.ExportFallbackNights;
        for (var back = 0; back <= fallback; back++)
        {
            var night = period.Start.AddDays(-back);
            var date = night.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var answer = await client.GetAsync(scope, sequence, () => api.InfrastructureExportAsync(county, date, cancellationToken), context, cancellationToken,
                notFoundIsAnAnswer: true).ConfigureAwait(false);
            if (answer.Status == 404)
            {
                continue;
            }

            var file = InfrastructureCsv.Read(answer.Body);
            var name = $"school-infrastructure.csv of county {county} for {date}";
            if (file.HeaderError is { } headerError)
            {
                throw new ExportFailedException($"{name}: {headerError}; the file was not loaded.", sequence.Count, 0);
            }

            var normalized = ProgressNormalizer.Infrastructure(county, period, schools, file, night);
            var note = back == 0 ? null : string.Create(CultureInfo.InvariantCulture,
                $"no export for {period.Code} (404); the export of {date} was used, the latest within the {fallback} nights before");
            // One file is the least a night can be read in; the nights tried before it found none.
            return (new Read(sequence.Count, file.DataLines, file.DataLines - (file.Totals is null ? 0 : 1), note, 1), normalized);
        }

        throw new ExportFailedException(string.Create(CultureInfo.InvariantCulture,
            $"no infrastructure export for county {county} on {period.Code} nor on the {fallback} nights before (HTTP 404 for each); nothing is known, nothing was written as zero."),
            sequence.Count, 0);
    }

    /// <summary>
    /// The stream's report. No rows where the previous run kept many is flagged and its facts are not written, so a
    /// silent upstream never overwrites good figures; lines or rows left out are flagged with the reason.
    /// </summary>
    private async Task<StreamReport> JudgeAsync(string stream, string county, Period period, Read read, NormalizedRows normalized,
        IIngestionContext context, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        if (read.Note is { } readNote)
        {
            notes.Add(readNote);
        }

        notes.AddRange(normalized.Notes);
        var status = normalized.Rejected > 0 || normalized.Notes.Count > 0 ? StreamStatus.Flagged : StreamStatus.Succeeded;
        var facts = normalized.Facts.Count;
        if (read.Kept == 0)
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

        return new StreamReport(stream, status, read.Pages, read.RowsRead, read.Kept - Math.Min(read.Kept, normalized.Rejected), facts,
            notes.Count == 0 ? null : string.Join("; ", notes), read.PagesNeeded);
    }

    /// <param name="PagesNeeded">The fewest requests the stream's rows could be read in (its share of a read made once for several periods).</param>
    private sealed record Read(int Pages, long RowsRead, long Kept, string? Note, int PagesNeeded);

    private sealed class ExportFailedException(string message, int pages, long lines) : Exception(message)
    {
        public int Pages => pages;

        public long Lines => lines;
    }
}
