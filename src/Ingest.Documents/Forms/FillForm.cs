using System.Globalization;
using Ingest.Core.Evidence;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;

namespace Ingest.Documents.Forms;

/// <summary>
/// The 填报表: one workbook per school (or county) and rating column. Every target is a row with its number, the item's
/// text, points, ★, the pre-filled score and its evidence, read-only; the rater types in the yellow cells only: a
/// score, the counts of a counted item (a row per count), 是/否 for a flag, a reason, and the 佐证材料 behind the value (the
/// names of files uploaded behind the line, checked on import against the files as they then stand). The cells start with what the
/// column holds now, so the workbook is the column's whole state: importing it sets what changed, withdraws what was
/// emptied, and leaves the rest. Read-only cells are checked on import; a changed one refuses the file.
/// </summary>
public static partial class FillForm
{
    public const string SheetName = "填报";
    private const int HeaderRow = 4;
    private static readonly string[] Headers = ["编号", "序号", "指标内容", "分值", "★", "预填得分", "依据", "填写内容", "填写", "理由", "佐证材料"];
    private static readonly double[] Widths = [9, 6, 46, 6, 4, 10, 40, 22, 10, 22, 22];
    private const int Key = 1, Item = 2, Text = 3, Points = 4, Veto = 5, Auto = 6, Basis = 7, What = 8, Value = 9, Reason = 10, Files = 11;
    /// <summary>The longest 佐证材料 cell: as many names as a line may give, each as long as a name may be, with their separators.</summary>
    private const int FilesCellLength = EvidenceReferences.MaxNames * (EvidenceReferences.MaxNameLength + 1);
    private const int YearColumn = 6, KindColumn = 7, ColumnColumn = 9;
    private static readonly int[] ReadOnly = [Item, Text, Points, Veto, Auto, What];

    /// <summary>A 填报表 has its eleven columns and a row per target and count (a few hundred): 5,000 rows is far beyond any.</summary>
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
            + "预填得分可不填，改写时填得分并写明理由；佐证材料填已在评分表该项下上传的文件名，多个用“、”分隔；清空已填的单元格即撤回该项录入。"
            + "导入时整份文件逐行检查，有错则整份不导入。", XStyle.Plain);
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
                // A pre-filled line that waits for a look on site says so first: typing its pre-filled score confirms it.
                var basis = line.Auto is { } a ? string.Join("\n", new[] { a.OnSite ? a.Reason : a.Summary ?? a.Reason }.Concat(a.Evidence.Select(RaterText.Evidence))) : null;
                x.Set(row, Basis, line.Status == LineStatus.Unconfirmed ? RaterText.OnSite(line.Target) + "（现场查看后填写预填得分即为确认）" + (basis is null ? string.Empty : "\n" + basis) : basis);
                x.Set(row, What, WhatToFill(line.Target, spec), XStyle.Text);
                x.Set(row, Value, CurrentValue(line.Target, entry, spec), XStyle.Input);
                x.Validations.Add(ValidationOf(line.Target, spec, Xlsx.Ref(row, Value)));
                x.Set(row, Reason, k == 0 ? entry?.Reason : null, k == 0 ? XStyle.InputText : XStyle.Text);
                x.Set(row, Files, k == 0 && entry is { Files.Count: > 0 } ? EvidenceReferences.Text(entry.Files) : null, k == 0 ? XStyle.InputText : XStyle.Text);
                if (k == 0)
                {
                    x.Validations.Add(new XValidation(Xlsx.Ref(row, Files), XValidationKind.Text, FilesCellLength,
                        "填已在评分表该项“佐证材料”页上传的文件名，多个用“、”分隔；导入时逐一核对"));
                }
                x.Heights[row] = Math.Max(Xlsx.HeightFor(text, Widths[Text - 1]), Xlsx.HeightFor(x.Cells[row][Basis].Value as string, Widths[Basis - 1]));
            }
        }

        return x;
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

    /// <summary>What Excel lets the rater type into the cell, with the same words as the 填写 column.</summary>
    private static XValidation ValidationOf(ScoreTarget target, CountSpec? spec, string cell) => target.Entry switch
    {
        EntryKind.Counts => new XValidation(cell, XValidationKind.WholeNumber, 0, $"{spec!.Label}：填次数，0 或正整数"),
        EntryKind.Flag => new XValidation(cell, XValidationKind.YesNo, 0, "从列表中选“是”或“否”"),
        _ => new XValidation(cell, XValidationKind.HalfPoints, target.Points,
            $"得分 0～{RaterText.Score(target.Points)} 分，0.5 分一档，小数用小数点"),
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
}
