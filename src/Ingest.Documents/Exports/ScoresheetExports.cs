using System.Globalization;
using System.Text;
using System.Text.Json;
using Ingest.Documents.Forms;
using Ingest.Scoring.Sheets;
using MiniExcelLibs;

namespace Ingest.Documents.Exports;

/// <summary>One line of the lines export: a target of a scoresheet in one column, in the words a rater reads.</summary>
/// <param name="Rubric">The rubric's title (宁夏中小学“互联网+教育”智慧校园认定标准).</param>
/// <param name="Cycle">The cycle in words: 2025年度.</param>
/// <param name="Column">学校自评, 教育局评定 or 教育厅评定.</param>
/// <param name="Status">待填, 自动, 已录入, 已改写 or 无法计算.</param>
/// <param name="Basis">For auto lines, the comparison that gave the score, or why it could not be computed.</param>
/// <param name="Figures">For auto lines, every fact used: indicator, period, figure (numerator/denominator), source, batch.</param>
/// <param name="Counts">For counted items, the counts entered under the rubric's labels.</param>
public sealed record ExportLine(
    string OrgCode,
    string OrgName,
    string Rubric,
    string Cycle,
    string Column,
    string Item,
    string Target,
    string Text,
    decimal Points,
    bool Veto,
    string Status,
    decimal? Score,
    decimal? AutoScore,
    string? Basis,
    string? Figures,
    string? Counts,
    string? EnteredBy,
    string? EntryReason);

/// <summary>
/// The exports: every scoresheet line as CSV or JSON, the school form of 附件2 (星级认定表) and a county summary in the
/// shape of the county bulletin, as Excel workbooks. A text cell that begins with <c>=</c>, <c>+</c>, <c>-</c> or
/// <c>@</c> (or a tab or carriage return) is written with a leading apostrophe in every format, so no spreadsheet
/// takes it for a formula.
/// </summary>
public static class ScoresheetExports
{
    private const int Width = 12;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

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

    /// <summary>
    /// The school form of 附件2 (星级认定表) as issued, laid out on one A4 page; a second sheet lists every line with its
    /// text, pre-filled score, evidence and the three columns' scores.
    /// </summary>
    public static void WriteSchoolForm(Stream stream, SchoolFormModel form, ScoresheetView sheet)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(sheet);
        var detail = new XSheet("评分明细") { PrintTitleRows = (1, 1) };
        string[] headers = ["序号", "★", "指标内容", "分值", "预填得分", "依据", "学校自评", "教育局评定", "教育厅评定"];
        double[] widths = [7, 4, 50, 6, 8, 40, 8, 8, 8];
        for (var i = 0; i < headers.Length; i++)
        {
            detail.Set(1, i + 1, headers[i], XStyle.Header);
            detail.Widths[i + 1] = widths[i];
        }

        var row = 2;
        foreach (var l in sheet.Lines)
        {
            var basis = l.Auto is { } a ? string.Join("\n", new[] { a.OnSite ? a.Reason : a.Summary ?? a.Reason }.Concat(a.Evidence.Select(RaterText.Evidence))) : null;
            detail.Set(row, 1, l.Target, XStyle.Center).Set(row, 2, l.Veto ? "★" : null, XStyle.Center).Set(row, 3, Neutralise(l.Text))
                .Set(row, 4, l.Points, XStyle.Center).Set(row, 5, l.Auto?.Score, XStyle.Center).Set(row, 6, Neutralise(basis))
                .Set(row, 7, l.Columns["self"].Score, XStyle.Center).Set(row, 8, l.Columns["bureau"].Score, XStyle.Center)
                .Set(row, 9, l.Columns["department"].Score, XStyle.Center);
            detail.Heights[row] = Math.Max(Xlsx.HeightFor(l.Text, widths[2]), Xlsx.HeightFor(basis, widths[5]));
            row++;
        }

        Xlsx.Write(stream, form.Sheet(), detail);
    }

    /// <summary>
    /// The county summary in the shape of the county bulletin: the schools grouped by the level the county bureau gives
    /// (四星级 … 未定级), each with its score, then every school's area scores.
    /// </summary>
    public static void WriteCountySummary(Stream stream, string countyName, string cycle, IReadOnlyList<ScoresheetView> sheets)
    {
        ArgumentNullException.ThrowIfNull(sheets);
        var rows = new List<Dictionary<string, object?>>
        {
            Row(Neutralise($"{countyName}{CycleWords(cycle)}“互联网+教育”智慧校园星级评定结果（教育局评定）")),
            Row("星级", "学校", "学校标识码", "评定得分", "★项未满分", "待填/无法计算"),
        };
        var byLevel = sheets.Select(s => (Sheet: s, Column: s.Columns.Single(c => c.Column == "bureau")))
            .GroupBy(x => x.Column.Stars?.Stars ?? 0).OrderByDescending(g => g.Key);
        foreach (var group in byLevel)
        {
            var schools = group.OrderByDescending(x => x.Column.Total).ThenBy(x => x.Sheet.OrgCode, StringComparer.Ordinal).ToArray();
            rows.Add(Row(group.Key == 0 ? $"未定级（{schools.Length}所）" : $"{StarsText(group.Key)}（{schools.Length}所）"));
            foreach (var (sheet, column) in schools)
            {
                rows.Add(Row(null, Neutralise(sheet.OrgName), sheet.OrgCode, column.Total, string.Join("、", column.Stars?.UnmetVetoItems ?? []),
                    string.Create(CultureInfo.InvariantCulture, $"{column.Pending}/{column.NotComputable}")));
            }
        }

        var areaNames = sheets.Count == 0 ? [] : sheets[0].Columns[0].Areas.Select(a => (object?)a.Name).ToArray();
        var areas = new List<Dictionary<string, object?>> { Row(["学校标识码", "学校", .. areaNames, "合计", "星级"]) };
        areas.AddRange(sheets.Select(s =>
        {
            var bureau = s.Columns.Single(c => c.Column == "bureau");
            return Row([s.OrgCode, Neutralise(s.OrgName), .. bureau.Areas.Select(a => (object?)a.Score), bureau.Total, LevelText(bureau)]);
        }));
        var workbook = new Dictionary<string, object> { ["星级评定"] = rows, ["各项得分"] = areas };
        stream.SaveAs(workbook, printHeader: false, excelType: ExcelType.XLSX);
    }

    private static string? Figures(AutoView? auto) => auto is null || auto.Evidence.Count == 0 ? null
        : string.Join("；", auto.Evidence.Select(RaterText.Evidence));

    private static string LevelText(ColumnView column) => column.Stars switch
    {
        null => string.Empty,
        { Stars: null } s => "未定级" + (s.Provisional ? "（待填）" : string.Empty),
        { } s => StarsText(s.Stars!.Value) + (s.Vetoed ? $"（★未满分：{string.Join("、", s.UnmetVetoItems)}）" : string.Empty) + (s.Provisional ? "（待填）" : string.Empty),
    };

    private static string StarsText(int stars) => stars switch
    {
        5 => "五星级",
        4 => "四星级",
        3 => "三星级",
        2 => "二星级",
        _ => "一星级",
    };

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
