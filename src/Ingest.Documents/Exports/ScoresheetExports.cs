using System.Globalization;
using System.Text;
using System.Text.Json;
using Ingest.Scoring.Sheets;

namespace Ingest.Documents.Exports;

/// <summary>
/// The exports: every scoresheet line as CSV or JSON, the school form of 附件2 (星级认定表) and a county summary in the
/// shape of the county bulletin, as Excel workbooks. A text cell that begins with <c>=</c>, <c>+</c>, <c>-</c> or
/// <c>@</c> (or a tab or carriage return) is written with a leading apostrophe in every format, so no spreadsheet
/// takes it for a formula.
/// </summary>
public static partial class ScoresheetExports
{
    private const int Width = 12;

    // Chinese written as itself, not as \u escapes: the file is read by people as well as programs.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // A file to save, never markup to embed: only what JSON itself requires is escaped.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly string[] CsvHeader =
        ["机构代码", "机构名称", "评分标准", "周期", "评分栏", "指标", "序号", "指标内容", "分值", "★", "状态", "得分", "自动得分", "判定", "数据", "次数", "录入人", "理由"];

    /// <summary>Text made safe for a spreadsheet: a leading <c>'</c> before a formula character.</summary>
    public static string? Neutralise(string? text) =>
        text is { Length: > 0 } && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    /// <summary>Every line of <paramref name="sheets"/>, each target in each column, text neutralised.</summary>
    public static IReadOnlyList<ExportLine> Lines(IEnumerable<ScoresheetView> sheets) =>
        sheets.SelectMany(sheet => sheet.Columns.SelectMany(column => sheet.Lines.Select(line =>
        {
            var cell = line.Columns[column.Column];
            var counts = cell.Entry?.Counts is { } c
                ? string.Join("；", line.Counts.Where(x => c.ContainsKey(x.Key)).Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Label} {c[x.Key]}")))
                : null;
            return new ExportLine(sheet.OrgCode, Neutralise(sheet.OrgName)!, sheet.RubricTitle, CycleWords(sheet.Cycle), ColumnWords(column.Column), line.Item,
                line.Target, Neutralise(line.Text)!, line.Points, line.Veto, StatusWords(line, cell), cell.Score, line.Auto?.Score,
                Neutralise(line.Auto is { } a ? a.OnSite ? a.Reason : a.Summary ?? a.Reason : null), Neutralise(Figures(line.Auto)), Neutralise(counts),
                Neutralise(cell.Entry?.By), Neutralise(cell.Entry?.Reason));
        }))).ToArray();

    /// <summary>2025年度 for school:2025.</summary>
    public static string CycleWords(string cycle) => Ingest.Core.Periods.EvaluationCycle.Parse(cycle).Year.ToString(CultureInfo.InvariantCulture) + "年度";

    private static string ColumnWords(string key) => RaterText.ColumnTitle(RaterText.ParseColumn(key));

    private static string StatusWords(LineView line, CellView cell) => cell.Status switch
    {
        "auto" => "自动",
        "not_computable" => "无法计算",
        "entered" => line.Auto?.Score is { } auto && cell.Score != auto ? "已改写" : "已录入",
        _ => "待填",
    };

    /// <summary>The lines as CSV (UTF-8 with a byte-order mark, so spreadsheets read the Chinese text; RFC 4180 quoting).</summary>
    public static async Task WriteCsvAsync(Stream stream, IEnumerable<ExportLine> lines, CancellationToken ct)
    {
        await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true) { NewLine = "\r\n" };
        await writer.WriteLineAsync(string.Join(',', CsvHeader));
        foreach (var l in lines)
        {
            ct.ThrowIfCancellationRequested();
            string?[] fields =
            [
                l.OrgCode, l.OrgName, l.Rubric, l.Cycle, l.Column, l.Item, l.Target, l.Text, RaterText.Score(l.Points), l.Veto ? "★" : string.Empty, l.Status,
                l.Score is null ? string.Empty : RaterText.Score(l.Score), l.AutoScore is null ? string.Empty : RaterText.Score(l.AutoScore), l.Basis, l.Figures, l.Counts,
                l.EnteredBy, l.EntryReason,
            ];
            await writer.WriteLineAsync(string.Join(',', fields.Select(Quote)));
        }
    }

    /// <summary>The lines as a JSON array.</summary>
    public static Task WriteJsonAsync(Stream stream, IEnumerable<ExportLine> lines, CancellationToken ct) =>
        JsonSerializer.SerializeAsync(stream, lines, Json, ct);

    /// <summary>A row of cells in columns A, B, …; every row of a sheet has the same width (MiniExcel takes the first row's keys).</summary>
    private static Dictionary<string, object?> Row(params object?[] cells)
    {
        var row = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < Width; i++)
        {
            row[((char)('A' + i)).ToString()] = i < cells.Length ? cells[i] : null;
        }

        return row;
    }

    private static string? Number(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);

    public static string Quote(string? field) => field is null ? string.Empty
        : field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
