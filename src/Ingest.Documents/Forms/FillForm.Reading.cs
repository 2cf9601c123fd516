using System.Globalization;
using Ingest.Core.Evidence;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;

namespace Ingest.Documents.Forms;

public static partial class FillForm
{
    /// <summary>
    /// Reads a filled workbook against the scoresheet it names and its 佐证材料 (<paramref name="load"/>, removed files
    /// included): every read-only cell must be as written, every value well-formed and within the rubric, every file named
    /// uploaded behind its line and not removed. All errors are collected, each naming its row and column.
    /// </summary>
    /// <exception cref="FormImportException">The file cannot be imported as a whole.</exception>
    public static async Task<FilledForm> ReadAsync(Stream stream, string file,
        Func<string, EvaluationCycle, Task<(Scoresheet Sheet, IReadOnlyList<EvidenceFile> Files)>> load)
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

        var (sheet, files) = await load(org, cycle);
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
            var named = EvidenceReferences.Parse(Cell(first, Files));
            try
            {
                var value = Wanted(target, specs, keys.Select(k => (Row: seen[k], Text: Cell(seen[k], Value))).ToArray(), reason);
                if (named.Count > 0)
                {
                    if (value is null)
                    {
                        errors.Add($"第 {first} 行“佐证材料”列：只写了佐证材料，没有填写：佐证材料附在录入的分值上，请同时填写（确认预填得分时填预填得分）");
                        continue;
                    }

                    if (EvidenceReferences.Problem(named, RaterText.ItemName(target.Key), files.Where(f => f.Target == target.Key)) is { } problem)
                    {
                        errors.Add($"第 {first} 行“佐证材料”列：{problem}");
                        continue;
                    }

                    value = value with { Files = named };
                }

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

    private sealed class RowException(int row, string message) : Exception(message)
    {
        public int Row { get; } = row;
    }
}
