using System.Globalization;
using Ingest.Documents.Forms;
using Ingest.Scoring.Sheets;
using MiniExcelLibs;

namespace Ingest.Documents.Exports;

public static partial class ScoresheetExports
{
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
        // The bureau decides 二、三星级 and forwards four stars and above (第十条); a column still waiting is not a level yet.
        var byLevel = sheets.Select(s => (Sheet: s, Column: s.Columns.Single(c => c.Column == "bureau")))
            .GroupBy(x => x.Column.Stars is { Provisional: true } ? -1 : x.Column.Stars?.Stars ?? 0).OrderByDescending(g => g.Key);
        foreach (var group in byLevel)
        {
            var schools = group.OrderByDescending(x => x.Column.Total).ThenBy(x => x.Sheet.OrgCode, StringComparer.Ordinal).ToArray();
            rows.Add(Row($"{(group.Key < 0 ? "待定（尚有待填项）" : RaterText.BureauStars(group.Key))}（{schools.Length}所）"));
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

    private static string LevelText(ColumnView column) => column.Stars is null ? string.Empty
        : RaterText.BureauLevel(new StarResult(column.Stars.Stars, column.Stars.ByTotal, column.Stars.UnmetVetoItems, column.Stars.Vetoed, column.Stars.Provisional));
}
