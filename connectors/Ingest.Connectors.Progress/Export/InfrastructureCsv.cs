using System.Globalization;
using System.Text;
using CsvHelper;

namespace Ingest.Connectors.Progress.Export;

/// <summary>
/// Reads the nightly export (<c>docs/upstreams/progress-system.md</c>): GB18030, a Chinese header, one line per school,
/// a closing <c>合计</c> line that is not a school, empty fields for "not reported" and <c>是</c>/<c>否</c> flags.
/// A line that does not parse is reported with its number and field and left out; the other lines still load.
/// A header that does not match the contract fails the file, naming the missing and unexpected columns.
/// </summary>
public static class InfrastructureCsv
{
    private const string TotalsMarker = "合计";

    /// <summary>Reads the bytes as served: GB18030 (a byte-order mark, if any, wins).</summary>
    public static InfrastructureFile Read(ReadOnlyMemory<byte> body)
    {
        using var stream = new MemoryStream(body.ToArray(), writable: false);
        using var text = new StreamReader(stream, Gb18030, detectEncodingFromByteOrderMarks: true);
        return Read(text.ReadToEnd());
    }

    /// <summary>Reads the file's text, already decoded.</summary>
    public static InfrastructureFile Read(string text)
    {
        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            TrimWhitespace = true,
            TrackLineNumbers = true,
            AllowLineBreaksInQuotes = false, // one stray quote must not swallow the rest of the file
            IncludeValuesInExceptions = true,
        };
        using var csv = CsvReader.FromText(text, options);
        var header = csv.Headers.ToArray();
        if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace))
        {
            return new InfrastructureFile([], [], null, "the file is empty (no header line)", 0);
        }

        if (HeaderError(header) is { } error)
        {
            return new InfrastructureFile([], [], null, error, 0);
        }

        var mapper = CsvRecordMapper.Create<InfrastructureRecord>(csv);
        var records = new List<InfrastructureRecord>();
        var problems = new List<CsvProblem>();
        InfrastructureRecord? totals = null;
        var lines = 0;
        while (csv.Read())
        {
            lines++;
            var line = csv.LineNumber;
            if (csv.FieldCount != header.Length)
            {
                problems.Add(new CsvProblem(line, null, string.Create(CultureInfo.InvariantCulture, $"{csv.FieldCount} fields where the header has {header.Length}")));
                continue;
            }

            var isTotals = csv.GetString(InfrastructureRecord.SchoolCodeColumn) == TotalsMarker;
            InfrastructureRecord record;
            try
            {
                record = csv.GetRecord(mapper);
            }
            catch (CsvFormatException e)
            {
                var field = e.FieldIndex >= 0 && e.FieldIndex < header.Length ? header[e.FieldIndex] : null;
                var value = e.FieldIndex >= 0 && e.FieldIndex < csv.FieldCount ? csv.GetString(e.FieldIndex) : null;
                problems.Add(new CsvProblem(line, field, value is null ? Reason(field) : $"'{value}' does not parse: {Reason(field)}"));
                continue;
            }

            record.Line = line;
            if (isTotals)
            {
                totals = record;
            }
            else if (record.SchoolCode is not { Length: 10 } code || !code.All(char.IsAsciiDigit))
            {
                problems.Add(new CsvProblem(line, InfrastructureRecord.SchoolCodeColumn, $"'{record.SchoolCode}' is not a 10-digit school code"));
            }
            else if (record is { TeachingClasses: { } classes, ClassesWithTerminals: { } equipped } && equipped > classes)
            {
                problems.Add(new CsvProblem(line, InfrastructureRecord.ClassesWithTerminalsColumn,
                    string.Create(CultureInfo.InvariantCulture, $"{equipped} classes with terminals is more than the {classes} teaching classes")));
            }
            else
            {
                records.Add(record);
            }
        }

        return new InfrastructureFile(records, problems, totals, null, lines);
    }

    /// <summary>GB18030 (code page 54936), from the code-page provider .NET ships but does not register.</summary>
    public static Encoding Gb18030 => Core.Text.ChineseText.Gb18030;

    /// <summary>Every missing, unexpected and repeated column, or null when the header is the contract's.</summary>
    private static string? HeaderError(string[] header)
    {
        var names = header.Select(h => h.Trim()).ToArray();
        var missing = InfrastructureRecord.Columns.Except(names, StringComparer.Ordinal).ToArray();
        var unexpected = names.Except(InfrastructureRecord.Columns, StringComparer.Ordinal).ToArray();
        var repeated = names.GroupBy(h => h, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        var parts = new List<string>();
        if (missing.Length > 0)
        {
            parts.Add("missing columns: " + string.Join(", ", missing));
        }

        if (unexpected.Length > 0)
        {
            parts.Add("unexpected columns: " + string.Join(", ", unexpected.Select(u => u.Length == 0 ? "(empty)" : u)));
        }

        if (repeated.Length > 0)
        {
            parts.Add("repeated columns: " + string.Join(", ", repeated));
        }

        return parts.Count == 0 ? null : "the header does not match the contract; " + string.Join("; ", parts);
    }

    private static string Reason(string? column) => column switch
    {
        InfrastructureRecord.SecuritySystemColumn or InfrastructureRecord.OneClickAlarmColumn => "expected 是 or 否 (or empty for not reported)",
        InfrastructureRecord.BandwidthColumn => "expected a number of Mbps (or empty for not reported)",
        null => "the line could not be read",
        _ => "expected a whole number, not negative (or empty for not reported)",
    };
}
