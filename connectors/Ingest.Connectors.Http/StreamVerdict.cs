using System.Globalization;
using Ingest.Core.Connectors;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;

namespace Ingest.Connectors.Http;

/// <summary>What a stream read, before its rows are judged.</summary>
/// <param name="PagesNeeded">The fewest requests the rows kept could be read in: the request floor of the read.</param>
/// <param name="Notes">What is worth saying about the read without doubting it (rows repeated, a cursor restarted).</param>
/// <param name="Flags">What makes the read doubtful (rows without their key left out): each flags the stream.</param>
public sealed record StreamRead(int Pages, long RowsRead, long Kept, int PagesNeeded, IReadOnlyList<string> Notes, IReadOnlyList<string> Flags);

/// <summary>The rules every connector judges a stream by, so that the upstreams are judged alike.</summary>
public static class StreamVerdict
{
    /// <summary>
    /// The stream's report. No rows where the previous run kept at least <paramref name="zeroRowsThreshold"/> is flagged and
    /// its facts are not written, so a silent upstream never overwrites good figures with zeros; rows left out, schools
    /// missing from the directory and doubtful reads are flagged with the reason. Rows kept are those read less those
    /// the normaliser left out.
    /// </summary>
    public static async Task<StreamReport> JudgeAsync(string stream, string county, Period period, StreamRead read, NormalizedRows normalized,
        int zeroRowsThreshold, IIngestionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(normalized);
        ArgumentNullException.ThrowIfNull(context);
        var notes = new List<string>([.. read.Notes, .. read.Flags, .. normalized.Notes]);
        var status = normalized.Rejected > 0 || normalized.Notes.Count > 0 || read.Flags.Count > 0 ? StreamStatus.Flagged : StreamStatus.Succeeded;
        var facts = normalized.Facts.Count;
        if (read.Kept == 0)
        {
            var previous = await context.PreviousReportAsync(stream, county, period.Code, cancellationToken).ConfigureAwait(false);
            if (previous is { RowsKept: var before } && before >= zeroRowsThreshold)
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
}

/// <summary>What the connectors say alike about the schools in their rows.</summary>
public static class SchoolRows
{
    /// <summary>A school's code in the directory: ten digits.</summary>
    public static bool IsSchoolCode(string? code) => code is { Length: 10 } && code.All(char.IsAsciiDigit);

    /// <summary>The notes of a normalised stream: rows left out and why, and the schools in the rows the directory does not know (five named).</summary>
    public static string[] Notes(int rejected, string why, IEnumerable<Organisation> schools, IEnumerable<string> inRows)
    {
        var known = schools.Select(s => s.Code).ToHashSet(StringComparer.Ordinal);
        var unknown = inRows.Where(c => !known.Contains(c)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var notes = new List<string>();
        if (rejected > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{rejected} rows left out: {why}"));
        }

        if (unknown.Length > 0)
        {
            notes.Add($"{unknown.Length} schools not in the directory: {string.Join(", ", unknown.Take(5))}{(unknown.Length > 5 ? ", …" : string.Empty)}");
        }

        return [.. notes];
    }
}
