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
            await JudgeAsync(ClassroomsStream, county, period, new Read(1, rooms.Length, rooms.Length, null), roomFacts, context, cancellationToken).ConfigureAwait(false),
        };
        var facts = new List<IndicatorFact>(reports[0].FactsEmitted > 0 ? roomFacts.Facts : []);

        var stream = period.Kind == PeriodKind.Day ? ExportStream : SessionsStream;
        try
        {
            var (read, normalized) = stream == ExportStream
                ? await ReadExportAsync(api, county, period, schools, context, cancellationToken).ConfigureAwait(false)
                : await ReadSessionsAsync(api, county, period, schools, rooms, context, cancellationToken).ConfigureAwait(false);
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
            if (report.FactsEmitted > 0)
            {
                facts.AddRange(normalized.Facts);
            }
        }
        catch (ExportFailedException e)
        {
            reports.Add(new StreamReport(stream, StreamStatus.Failed, e.Pages, e.Lines, 0, 0, e.Message));
        }
        catch (ConnectorException e) when (e is not KeyRefusedException)
        {
            reports.Add(new StreamReport(stream, StreamStatus.Failed, 0, 0, 0, 0, e.Message));
        }

        return new CountyBatch(facts, [], reports);
    }

    private async Task<(Read, NormalizedRows)> ReadSessionsAsync(IProgressApi api, string county, Period period, IReadOnlyList<Organisation> schools,
        ClassroomDto[] rooms, IIngestionContext context, CancellationToken cancellationToken)
    {
        var listing = await sessionReader.ReadAsync(api, new StreamScope(SessionsStream, county, period.Code), period.Start, period.End, context, cancellationToken)
            .ConfigureAwait(false);
        var normalized = ProgressNormalizer.Sessions(county, period, schools, rooms, listing.Sessions, options.Value.WeeksOf(period));
        return (new Read(listing.Pages, listing.RowsRead, listing.Sessions.Count, listing.Note), normalized);
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
            return (new Read(sequence.Count, file.DataLines, file.DataLines - (file.Totals is null ? 0 : 1), note), normalized);
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
            notes.Count == 0 ? null : string.Join("; ", notes));
    }

    private sealed record Read(int Pages, long RowsRead, long Kept, string? Note);

    private sealed class ExportFailedException(string message, int pages, long lines) : Exception(message)
    {
        public int Pages => pages;

        public long Lines => lines;
    }
}
