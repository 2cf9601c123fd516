using System.Globalization;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;

namespace Ingest.Documents.Forms;

/// <summary>What a filled workbook asks: the sheet and column it fills, and per target the value wanted (null: none).</summary>
public sealed record FilledForm(string OrgCode, EvaluationCycle Cycle, Column Column, IReadOnlyList<(string Target, EntryValue Value)> Changes);

/// <summary>A workbook that cannot be imported: every bad row and column, named. Nothing of the file was recorded.</summary>
public sealed class FormImportException(string file, IReadOnlyList<string> errors)
    : ScoresheetException($"{file}：{errors.Count} 处错误，未导入任何内容：" + string.Join("；", errors))
{
    public string File { get; } = file;

    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// The 填报表: one workbook per school (or county) and rating column. Every target is a row with its number, the item's
/// text, points, ★, the pre-filled score and its evidence, read-only; the rater types in the yellow cells only: a
/// score, the counts of a counted item (a row per count), 是/否 for a flag, and a reason. The cells start with what the
/// column holds now, so the workbook is the column's whole state: importing it sets what changed, withdraws what was
/// emptied, and leaves the rest. Read-only cells are checked on import; a changed one refuses the file.
/// </summary>
public static class FillForm
{
    public const string SheetName = "填报";
    private const int HeaderRow = 4;
    private static readonly string[] Headers = ["编号", "序号", "指标内容", "分值", "★", "预填得分", "依据", "填写内容", "填写", "理由"];
    private static readonly double[] Widths = [9, 6, 46, 6, 4, 10, 40, 22, 10, 22];
    private const int Key = 1, Item = 2, Text = 3, Points = 4, Veto = 5, Auto = 6, Basis = 7, What = 8, Value = 9, Reason = 10;
    private const int YearColumn = 6, KindColumn = 7, ColumnColumn = 9;
    private static readonly int[] ReadOnly = [Item, Text, Points, Veto, Auto, What];

    /// <summary>A 填报表 has its ten columns and a row per target and count (a few hundred): 5,000 rows is far beyond any.</summary>
    private static readonly Ingest.Documents.Uploads.UploadLimits Limits = new() { MaxColumns = Headers.Length, MaxRows = 5_000, MaxCells = 50_000 };

    /// <summary>The workbook's file name: 2164240001-泾源县城关第一小学-2025年度-教育局评定填报表.xlsx.</summary>
    public static string FileName(Scoresheet sheet, Column column)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        return Ingest.Core.Text.FileNames.Safe($"{sheet.OrgCode}-{sheet.OrgName}-{sheet.Cycle.Year}年度-{RaterText.ColumnTitle(column)}填报表.xlsx");
    }

    public static void Write(Stream stream, Scoresheet sheet, Column column) => Xlsx.Write(stream, Build(sheet, column));

    internal static XSheet Build(Scoresheet sheet, Column column)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        var x = new XSheet(SheetName) { Protect = true, PrintTitleRows = (HeaderRow, HeaderRow) };
        for (var i = 0; i < Widths.Length; i++)
        {
            x.Widths[i + 1] = Widths[i];
        }

        var title = RaterText.ColumnTitle(column);
        x.Merge(1, 1, 1, Headers.Length, $"{sheet.OrgName} {sheet.Cycle.Year}年度{KindWords(sheet.Cycle)} {title}填报表", XStyle.Title);
        x.Heights[1] = 30;
        // Row 2 names the sheet the file fills; import reads it back from these cells.
        x.Set(2, 1, "机构代码", XStyle.Label).Merge(2, 2, 2, 3, sheet.OrgCode, XStyle.Center).Merge(2, 4, 2, 5, "年度", XStyle.Label)
            .Set(2, YearColumn, $"{sheet.Cycle.Year}年度", XStyle.Center).Set(2, KindColumn, "评价类别：" + KindWords(sheet.Cycle), XStyle.Center)
            .Set(2, 8, "评分栏", XStyle.Label).Merge(2, ColumnColumn, 2, 10, title, XStyle.Center);
        x.Heights[2] = 22;
        x.Merge(3, 1, 3, Headers.Length,
            $"{sheet.Rubric.Title}。只填黄色单元格：得分为 0 到该项分值、0.5 分一档，小数用小数点；次数填整数；是否项填“是”或“否”；"
            + "预填得分可不填，改写时填得分并写明理由；清空已填的单元格即撤回该项录入。导入时整份文件逐行检查，有错则整份不导入。", XStyle.Plain);
        x.Heights[3] = 36;
        for (var i = 0; i < Headers.Length; i++)
        {
            x.Set(HeaderRow, i + 1, Headers[i], XStyle.Header);
        }

        var row = HeaderRow + 1;
        var result = sheet.Column(column);
        foreach (var line in result.Items.SelectMany(i => i.Targets))
        {
            var item = sheet.Rubric.Find(line.Target.ItemNumber)!;
            var text = line.Target.Label is { } part ? $"{item.Text}\n（本部分：{part}）" : item.Text;
            var entry = line.Entry?.Value;
            var specs = line.Target.Entry == EntryKind.Counts ? line.Target.CountSpecs : [];
            var rows = Math.Max(1, specs.Count);
            for (var k = 0; k < rows; k++, row++)
            {
                var spec = specs.Count > 0 ? specs[k] : null;
                x.Set(row, Key, spec is null ? line.Target.Key : $"{line.Target.Key}#{spec.Key}", XStyle.Center);
                x.Set(row, Item, line.Target.ItemNumber, XStyle.Center);
                x.Set(row, Text, text);
                x.Set(row, Points, line.Target.Points, XStyle.Center);
                x.Set(row, Veto, item.Veto ? "★" : null, XStyle.Center);
                x.Set(row, Auto, AutoCell(line.Auto), XStyle.Center);
                x.Set(row, Basis, line.Auto is { } a ? string.Join("\n", new[] { a.OnSite ? a.Reason : a.Summary ?? a.Reason }.Concat(a.Evidence.Select(RaterText.Evidence))) : null);
                x.Set(row, What, WhatToFill(line.Target, spec), XStyle.Text);
                x.Set(row, Value, CurrentValue(line.Target, entry, spec), XStyle.Input);
                x.Set(row, Reason, k == 0 ? entry?.Reason : null, k == 0 ? XStyle.InputText : XStyle.Text);
                x.Heights[row] = Math.Max(Xlsx.HeightFor(text, Widths[Text - 1]), Xlsx.HeightFor(x.Cells[row][Basis].Value as string, Widths[Basis - 1]));
            }
        }

        return x;
    }

    /// <summary>
    /// Reads a filled workbook against the scoresheet it names (<paramref name="load"/>): every read-only cell must be as
    /// written, every value well-formed and within the rubric. All errors are collected, each naming its row and column.
    /// </summary>
    /// <exception cref="FormImportException">The file cannot be imported as a whole.</exception>
    public static async Task<FilledForm> ReadAsync(Stream stream, string file, Func<string, EvaluationCycle, Task<Scoresheet>> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        Dictionary<(int Row, int Column), string>? cells;
        try
        {
            cells = Ingest.Documents.Uploads.WorkbookReader.Read(stream, SheetName, Limits);
        }
        catch (Ingest.Documents.Uploads.UploadRefusedException e)
        {
            throw new FormImportException(file, [e.Problem]);
        }

        if (cells is null)
        {
            throw new FormImportException(file, [$"没有“{SheetName}”工作表，不是本系统导出的填报表"]);
        }

        string Cell(int r, int c) => cells.GetValueOrDefault((r, c))?.Trim() ?? string.Empty;
        var org = Cell(2, 2);
        var year = Cell(2, YearColumn).Replace("年度", string.Empty, StringComparison.Ordinal);
        var kind = Cell(2, KindColumn).Contains(KindWords(new EvaluationCycle(RubricKind.County, 2000)), StringComparison.Ordinal) ? "county" : "school";
        EvaluationCycle cycle;
        Column column;
        try
        {
            cycle = EvaluationCycle.Parse($"{kind}:{year}");
            column = RaterText.ParseColumn(Cell(2, ColumnColumn));
        }
        catch (FormatException e)
        {
            throw new FormImportException(file, ["第 2 行的机构代码、年度或评分栏被改动：" + e.Message]);
        }

        var sheet = await load(org, cycle);
        var expected = Build(sheet, column);
        var byKey = expected.Cells.Where(r => r.Key > HeaderRow).ToDictionary(r => (string)r.Value[Key].Value!, r => r.Value, StringComparer.Ordinal);
        var errors = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in cells.Keys.Select(k => k.Row).Where(r => r > HeaderRow).Distinct().Order())
        {
            var key = Cell(r, Key);
            if (key.Length == 0)
            {
                errors.Add($"第 {r} 行“编号”列：为空，不是本表的行");
                continue;
            }

            if (!byKey.TryGetValue(key, out var want))
            {
                errors.Add($"第 {r} 行“编号”列：“{key}”不是本表的指标");
                continue;
            }

            seen[key] = r;
            foreach (var c in ReadOnly)
            {
                var written = Convert.ToString(want.GetValueOrDefault(c).Value, CultureInfo.InvariantCulture)?.Trim() ?? string.Empty;
                if (!SameCell(written, Cell(r, c)))
                {
                    errors.Add($"第 {r} 行“{Headers[c - 1]}”列：只读单元格被改动（应为“{written}”，文件中为“{Cell(r, c)}”）"
                        + (c == Auto ? "；预填得分已更新时请重新下载填报表" : string.Empty));
                }
            }
        }

        errors.AddRange(byKey.Keys.Where(k => !seen.ContainsKey(k)).Select(k => $"缺少编号“{k}”的行"));
        var changes = new List<(string, EntryValue)>();
        var current = sheet.Column(column).Items.SelectMany(i => i.Targets).ToDictionary(t => t.Target.Key, StringComparer.Ordinal);
        foreach (var target in sheet.Rubric.Items.SelectMany(i => i.Targets))
        {
            var specs = target.Entry == EntryKind.Counts ? target.CountSpecs : [];
            var keys = specs.Count > 0 ? specs.Select(s => $"{target.Key}#{s.Key}").ToArray() : [target.Key];
            if (!keys.All(seen.ContainsKey))
            {
                continue;
            }

            var first = seen[keys[0]];
            var reason = Cell(first, Reason) is { Length: > 0 } typed ? typed : null;
            try
            {
                var value = Wanted(target, specs, keys.Select(k => (Row: seen[k], Text: Cell(seen[k], Value))).ToArray(), reason);
                var entry = current[target.Key].Entry;
                if (value is null && entry is not null)
                {
                    value = EntryValue.Withdrawal(reason ?? $"导入“{file}”时此项已清空");
                }

                if (value is null)
                {
                    continue;
                }

                if (SheetScorer.Validate(target, value, sheet.Auto.GetValueOrDefault(target.Key)) is { } invalid)
                {
                    var where = invalid.Contains("理由", StringComparison.Ordinal) ? "理由" : "填写";
                    errors.Add($"第 {first} 行“{where}”列：{invalid}");
                    continue;
                }

                changes.Add((target.Key, value));
            }
            catch (RowException e)
            {
                errors.Add($"第 {e.Row} 行“填写”列：{RaterText.ItemName(target.Key)}：{e.Message}");
            }
        }

        if (errors.Count > 0)
        {
            throw new FormImportException(file, errors);
        }

        return new FilledForm(org, cycle, column, changes);
    }

    private static EntryValue? Wanted(ScoreTarget target, IReadOnlyList<CountSpec> specs, (int Row, string Text)[] cells, string? reason)
    {
        if (cells.All(c => c.Text.Length == 0))
        {
            return null;
        }

        try
        {
            return target.Entry switch
            {
                EntryKind.Counts => new EntryValue(null,
                    specs.Select((s, i) => (s.Key, N: cells[i].Text.Length == 0 ? 0 : RaterText.ParseCount(cells[i].Text, "次数"))).ToDictionary(p => p.Key, p => p.N),
                    null, reason),
                EntryKind.Flag => new EntryValue(null, null, RaterText.ParseFlag(cells[0].Text, "是否"), reason),
                _ => new EntryValue(RaterText.ParseScore(cells[0].Text, "得分"), null, null, reason),
            };
        }
        catch (FormatException e)
        {
            var bad = target.Entry == EntryKind.Counts ? cells.First(c => c.Text.Length > 0 && !int.TryParse(c.Text, NumberStyles.None, CultureInfo.InvariantCulture, out _)) : cells[0];
            throw new RowException(bad.Row, e.Message);
        }
    }

    private static bool SameCell(string written, string read) =>
        written == read
        || (decimal.TryParse(written, NumberStyles.Number, CultureInfo.InvariantCulture, out var a)
            && decimal.TryParse(read, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var b) && a == b)
        || written.ReplaceLineEndings("\n") == read.ReplaceLineEndings("\n");

    private static object? AutoCell(AutoOutcome? auto) => auto switch
    {
        null => null,
        { Score: { } s } => s,
        { OnSite: true } => "待现场确认",
        _ => "无法计算",
    };

    private static string WhatToFill(ScoreTarget target, CountSpec? spec) => target.Entry switch
    {
        EntryKind.Counts => $"次数：{spec!.Label}",
        EntryKind.Flag => $"是 或 否：{((FlagRule)target.Rule).Label}",
        EntryKind.Score => $"得分（0～{RaterText.Score(target.Points)}，0.5分一档）",
        _ => $"预填得分可不填；改写时填得分（0～{RaterText.Score(target.Points)}）和理由",
    };

    private static object? CurrentValue(ScoreTarget target, EntryValue? entry, CountSpec? spec) => entry switch
    {
        null => null,
        { Counts: { } counts } when spec is not null => counts.GetValueOrDefault(spec.Key),
        { Flag: { } flag } => flag ? "是" : "否",
        { Score: { } score } => score,
        _ => null,
    };

    private static string KindWords(EvaluationCycle cycle) => cycle.Rubric == RubricKind.School ? "智慧校园星级认定" : "达标县综合评估";

    private sealed class RowException(int row, string message) : Exception(message)
    {
        public int Row { get; } = row;
    }
}
