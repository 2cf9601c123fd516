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

namespace Ingest.Connectors.Progress;

public sealed partial class ProgressConnector
{
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
        var spool = await context.OpenSpoolAsync(SessionsStream, cancellationToken).ConfigureAwait(false);
        await using var spoolDisposal = spool.ConfigureAwait(false);
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

    /// <summary>The stream's report (<see cref="StreamVerdict"/>): the read's own note is said, not flagged.</summary>
    private Task<StreamReport> JudgeAsync(string stream, string county, Period period, Read read, NormalizedRows normalized,
        IIngestionContext context, CancellationToken cancellationToken) =>
        StreamVerdict.JudgeAsync(stream, county, period, new StreamRead(read.Pages, read.RowsRead, read.Kept, read.PagesNeeded, read.Note is { } note ? [note] : [], []),
            normalized, options.Value.ZeroRowsFlagThreshold, context, cancellationToken);

    /// <param name="PagesNeeded">The fewest requests the stream's rows could be read in (its share of a read made once for several periods).</param>
    private sealed record Read(int Pages, long RowsRead, long Kept, string? Note, int PagesNeeded);

    private sealed class ExportFailedException(string message, int pages, long lines) : Exception(message)
    {
        public int Pages => pages;

        public long Lines => lines;
    }
}
