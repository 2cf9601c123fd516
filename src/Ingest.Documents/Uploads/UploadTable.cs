using CsvHelper;

namespace Ingest.Documents.Uploads;

/// <summary>A table file cannot be read; every problem is named with its line. Nothing of it is kept.</summary>
public sealed class UploadTableException(string file, IReadOnlyList<string> errors)
    : Ingest.Core.Sheets.ScoresheetException($"{file} 未导入：" + string.Join("；", errors))
{
    public string File { get; } = file;

    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>One data row of an uploaded table: its line, and its cells by column name.</summary>
public sealed record UploadRow(int Line, IReadOnlyDictionary<string, string> Cells)
{
    /// <summary>The cell of <paramref name="column"/>, trimmed; null when absent or blank.</summary>
    public string? this[string column] => Cells.TryGetValue(column, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
}

/// <summary>
/// A table people upload: a header row of column names, then data rows. CSV in UTF-8 (with or without BOM) or GB18030,
/// recognised on their own; or an xlsx workbook (its first sheet). Read within <see cref="UploadLimits"/>: bounded in
/// bytes, rows, columns and time.
/// </summary>
/// <param name="Columns">The columns the file is made of, named in a refusal.</param>
/// <param name="Required">The columns a file must have.</param>
/// <param name="What">What the file is, as a refusal says it (自评文件, 培育名单).</param>
/// <param name="Split">How to split a file that is too long, as a refusal advises it.</param>
public sealed record UploadTable(IReadOnlyList<string> Columns, IReadOnlyList<string> Required, UploadLimits Limits, string What, string Split)
{
    /// <summary>The data rows of the file, blank rows left out.</summary>
    /// <exception cref="UploadTableException">The file is neither a workbook nor readable text, exceeds the limits, or lacks a required column.</exception>
    public IReadOnlyList<UploadRow> Read(byte[] bytes, string fileName)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        List<(int Line, IReadOnlyList<string> Cells)> table;
        try
        {
            table = bytes.AsSpan().StartsWith("PK"u8) ? FromWorkbook(bytes) : FromCsv(bytes, fileName);
        }
        catch (UploadRefusedException e)
        {
            throw new UploadTableException(fileName, [e.Problem]);
        }

        if (table.Count == 0)
        {
            throw new UploadTableException(fileName, [$"文件是空的：第一行应为列名（{string.Join("、", Required)}……）"]);
        }

        var header = table[0].Cells;
        var missing = Required.Where(r => !header.Any(h => h.Trim() == r)).ToArray();
        if (missing.Length > 0)
        {
            throw new UploadTableException(fileName, [$"第 {table[0].Line} 行：缺少列 {string.Join("、", missing)}（必填列为 {string.Join("、", Required)}）"]);
        }

        return table.Skip(1)
            .Where(r => r.Cells.Any(c => !string.IsNullOrWhiteSpace(c)))
            .Select(r => new UploadRow(r.Line, header.Select((h, i) => (h.Trim(), i)).Where(h => h.Item1.Length > 0)
                .GroupBy(h => h.Item1).ToDictionary(g => g.Key, g => g.First().i < r.Cells.Count ? r.Cells[g.First().i] : string.Empty)))
            .ToArray();
    }

    private List<(int Line, IReadOnlyList<string> Cells)> FromCsv(byte[] bytes, string fileName)
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
            throw new UploadTableException(fileName, [$"第 {rows.Count + 1} 行：无法读作 CSV（{e.Message.Split('\n')[0]}）"]);
        }

        return rows;
    }

    private void Bound(int line, int fields)
    {
        if (line > Limits.MaxRows)
        {
            throw new UploadRefusedException($"超过 {Limits.MaxRows - 1} 行数据，超过上限：{Split}");
        }

        if (fields > Limits.MaxColumns)
        {
            throw new UploadRefusedException($"第 {line} 行有 {fields} 列，{What}至多 {Limits.MaxColumns} 列（{string.Join("、", Columns)}）");
        }
    }

    private List<(int Line, IReadOnlyList<string> Cells)> FromWorkbook(byte[] bytes)
    {
        var cells = WorkbookReader.Read(new MemoryStream(bytes, writable: false), null, Limits);
        if (cells is null || cells.Count == 0)
        {
            return [];
        }

        // Every row is as wide as the widest, which the limits bound to the file's columns.
        var width = cells.Keys.Max(k => k.Column);
        return cells.Keys.Select(k => k.Row).Distinct().Order()
            .Select(row => (row, (IReadOnlyList<string>)Enumerable.Range(1, width).Select(c => cells.GetValueOrDefault((row, c)) ?? string.Empty).ToArray()))
            .ToList();
    }
}
