using CsvHelper;
using Ingest.Documents.Uploads;

namespace Ingest.Documents.Claims;

/// <summary>A claims file cannot be imported; every problem is named with its line and column. Nothing of it is kept.</summary>
public sealed class ClaimsImportException(string file, IReadOnlyList<string> errors)
    : Ingest.Core.Sheets.ScoresheetException($"{file} 未导入：" + string.Join("；", errors))
{
    public string File { get; } = file;

    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>One data row of a claims file: its line, and its cells by column name.</summary>
public sealed record ClaimsRow(int Line, IReadOnlyDictionary<string, string> Cells)
{
    public string? this[string column] => Cells.TryGetValue(column, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
}

/// <summary>
/// The claims file: 学校标识码, 学校名称, 序号, 指标, 分值, 自评得分, 自评数据, 说明. On import only 学校标识码, 序号 and 自评得分
/// are required; other columns are ignored. CSV in UTF-8 (with or without BOM) or GB18030, recognised on their own;
/// xlsx as the service writes it (the first sheet).
/// </summary>
public static class ClaimsFile
{
    public const string School = "学校标识码";
    public const string SchoolName = "学校名称";
    public const string Number = "序号";
    public const string Indicator = "指标";
    public const string Points = "分值";
    public const string Score = "自评得分";
    public const string Figure = "自评数据";
    public const string Note = "说明";

    public static readonly IReadOnlyList<string> Columns = [School, SchoolName, Number, Indicator, Points, Score, Figure, Note];

    private static readonly string[] Required = [School, Number, Score];

    /// <summary>
    /// The bounds a claims file is read within: its eight columns and as many again for columns a person adds (ignored),
    /// and 50,000 data rows (a county of 500 schools × every item of the rubric is about 40,000).
    /// </summary>
    public static readonly UploadLimits Limits = new() { MaxColumns = 16, MaxRows = 50_001 };

    /// <summary>The rows of a claims file, blank rows left out.</summary>
    /// <exception cref="ClaimsImportException">The file is neither a workbook nor readable text, or lacks a required column.</exception>
    public static IReadOnlyList<ClaimsRow> Read(byte[] bytes, string fileName)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        List<(int Line, IReadOnlyList<string> Cells)> table;
        try
        {
            table = bytes.AsSpan().StartsWith("PK"u8) ? FromWorkbook(bytes) : FromCsv(bytes, fileName);
        }
        catch (UploadRefusedException e)
        {
            throw new ClaimsImportException(fileName, [e.Problem]);
        }

        if (table.Count == 0)
        {
            throw new ClaimsImportException(fileName, ["文件是空的：第一行应为列名（学校标识码、序号、自评得分……）"]);
        }

        var header = table[0].Cells;
        var missing = Required.Where(r => !header.Any(h => h.Trim() == r)).ToArray();
        if (missing.Length > 0)
        {
            throw new ClaimsImportException(fileName, [$"第 {table[0].Line} 行：缺少列 {string.Join("、", missing)}（必填列为 {string.Join("、", Required)}）"]);
        }

        return table.Skip(1)
            .Where(r => r.Cells.Any(c => !string.IsNullOrWhiteSpace(c)))
            .Select(r => new ClaimsRow(r.Line, header.Select((h, i) => (h.Trim(), i)).Where(h => h.Item1.Length > 0)
                .GroupBy(h => h.Item1).ToDictionary(g => g.Key, g => g.First().i < r.Cells.Count ? r.Cells[g.First().i] : string.Empty)))
            .ToArray();
    }

    private static List<(int Line, IReadOnlyList<string> Cells)> FromCsv(byte[] bytes, string fileName)
    {
        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            TrimWhitespace = true,
            TrackLineNumbers = true,
            AllowLineBreaksInQuotes = false, // one stray quote must not swallow the rest of the file
        };
        var rows = new List<(int, IReadOnlyList<string>)>();
        try
        {
            using var csv = CsvReader.FromText(UploadText.Decode(bytes), options);
            var header = csv.Headers.ToArray();
            if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace))
            {
                return rows;
            }

            Bound(1, header.Length);
            rows.Add((1, header));
            while (csv.Read())
            {
                var line = csv.LineNumber > Limits.MaxRows ? Limits.MaxRows + 1 : (int)csv.LineNumber;
                Bound(line, csv.FieldCount);
                rows.Add((line, Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetString(i) ?? string.Empty).ToArray()));
            }
        }
        catch (CsvFormatException e)
        {
            throw new ClaimsImportException(fileName, [$"第 {rows.Count + 1} 行：无法读作 CSV（{e.Message.Split('\n')[0]}）"]);
        }

        return rows;
    }

    private static void Bound(int line, int fields)
    {
        if (line > Limits.MaxRows)
        {
            throw new UploadRefusedException($"超过 {Limits.MaxRows - 1} 行数据，超过上限：请按县（区）或学校分开导入");
        }

        if (fields > Limits.MaxColumns)
        {
            throw new UploadRefusedException($"第 {line} 行有 {fields} 列，自评文件至多 {Limits.MaxColumns} 列（{string.Join("、", Columns)}）");
        }
    }

    private static List<(int Line, IReadOnlyList<string> Cells)> FromWorkbook(byte[] bytes)
    {
        var cells = WorkbookReader.Read(new MemoryStream(bytes, writable: false), null, Limits);
        if (cells is null || cells.Count == 0)
        {
            return [];
        }

        // Every row is as wide as the widest, which the limits bound to the claims file's columns.
        var width = cells.Keys.Max(k => k.Column);
        return cells.Keys.Select(k => k.Row).Distinct().Order()
            .Select(row => (row, (IReadOnlyList<string>)Enumerable.Range(1, width).Select(c => cells.GetValueOrDefault((row, c)) ?? string.Empty).ToArray()))
            .ToList();
    }
}
