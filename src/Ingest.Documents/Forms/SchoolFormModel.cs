using System.Globalization;
using Ingest.Core.Sheets;
using Ingest.Scoring.Programme;
using Ingest.Scoring.Sheets;

namespace Ingest.Documents.Forms;

/// <summary>
/// 宁夏中小学“互联网+教育”智慧校园星级认定表 (附件2) with its fields filled: what the workbook and the PDF both print, so
/// they print the same. Levels are filled in only once their column is decided; blank lines are for the seals,
/// signatures and dates written by hand.
/// </summary>
public sealed record SchoolFormModel(
    string Title,
    string Subtitle,
    string SchoolName,
    string SchoolCode,
    string AchievedStars,
    string? ContactPerson,
    string? ContactPhone,
    IReadOnlyList<FormArea> Areas,
    decimal SelfTotal,
    decimal BureauTotal,
    decimal DepartmentTotal,
    string AppliedStars,
    string BureauStars,
    string DepartmentStars,
    string Remark,
    string? Incomplete = null)
{
    public const string FormTitle = "宁夏中小学“互联网+教育”智慧校园星级认定表";
    public const string SchoolSeal = "学校（盖章）";
    public const string BureauLevel = "市、县（区）教育局认定星级：";
    public const string BureauSeal = "市、县（区）教育局（盖章）";
    public const string DepartmentLevel = "自治区教育厅认定星级：";
    public const string DepartmentSeal = "教育厅网信办（盖章）";
    public const string ExpertSignature = "评估专家签字：";
    public const string Date = "年    月    日";
    public const string RemarkText = "备注：本表一式三份，教育厅、教育局、学校各执1份。";

    private static readonly string[] Numbers = ["一", "二", "三", "四", "五", "六"];

    /// <summary>
    /// The form of <paramref name="sheet"/>: <paramref name="heldStars"/> is the level the register says the school holds
    /// at the start of the year, its 已获星级 (未定级 without one, or after 取消).
    /// </summary>
    public static SchoolFormModel From(Scoresheet sheet, int? heldStars, string? contactPerson, string? contactPhone)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        var self = sheet.Column(Column.Self);
        var bureau = sheet.Column(Column.Bureau);
        var department = sheet.Column(Column.Department);
        // 附件2 names area 3 应用融合 where 附件1 writes 融合应用; the form keeps its own wording.
        var areas = sheet.Rubric.Areas.Select((a, i) => new FormArea(
            string.Create(CultureInfo.InvariantCulture, $"{Numbers[i]}、{(a.Code == "3" ? "应用融合" : a.Name)}（{RaterText.Score(a.Points)}分）"),
            self.Areas[i].Score, bureau.Areas[i].Score, department.Areas[i].Score)).ToArray();
        var achieved = heldStars;
        // A form printed before every line is filled says so, column by column, so its partial totals are not read as final.
        var waiting = new[] { (Column.Self, self), (Column.Bureau, bureau), (Column.Department, department) }
            .Where(c => c.Item2.Pending + c.Item2.NotComputable > 0)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{RaterText.ColumnTitle(c.Item1)}待填 {c.Item2.Pending + c.Item2.NotComputable} 项"))
            .ToArray();
        return new SchoolFormModel(
            FormTitle,
            $"{sheet.Cycle.Year}年度 · 依据《{sheet.Rubric.Title}》",
            sheet.OrgName,
            sheet.OrgCode,
            achieved is > 0 ? RaterText.Stars(achieved.Value) : "未定级",
            contactPerson,
            contactPhone,
            areas,
            self.Total,
            bureau.Total,
            department.Total,
            sheet.AppliedStars is { } applied ? RaterText.Stars(applied) : string.Empty,
            Decided(Column.Bureau, bureau),
            Decided(Column.Department, department),
            RemarkText,
            waiting.Length == 0 ? null : "未完成：" + string.Join("，", waiting) + "（合计只含已填各项）");
    }

    /// <summary>
    /// A column's level once nothing in it waits; blank before, for the form is not issued half-decided. The bureau's line
    /// never prints more than 三星级 (第十条): a school its column puts higher is 拟申报四星级 until the department decides.
    /// </summary>
    private static string Decided(Column rating, ColumnResult column) =>
        column.Stars is { Provisional: false } s ? rating == Column.Bureau ? RaterText.BureauStars(s.Stars ?? 0) : RaterText.Stars(s.Stars ?? 0) : string.Empty;

    /// <summary>The form as one worksheet laid out as 附件2: A4 portrait on one page, merged cells, borders.</summary>
    internal XSheet Sheet()
    {
        var x = new XSheet("星级认定表") { FitOnePage = true, PrintTitleRows = (1, 2) };
        double[] widths = [10, 14, 18, 14, 14, 14];
        for (var i = 0; i < widths.Length; i++)
        {
            x.Widths[i + 1] = widths[i];
        }

        x.Merge(1, 1, 1, 6, Title, XStyle.Title);
        x.Heights[1] = 36;
        x.Merge(2, 1, 2, 6, Incomplete is null ? Subtitle : $"{Subtitle}\n{Incomplete}", XStyle.Caption);
        if (Incomplete is not null)
        {
            x.Heights[2] = 30;
        }

        x.Set(3, 1, "学校名称", XStyle.Label).Merge(3, 2, 3, 3, SchoolName, XStyle.Center).Set(3, 4, "已获星级", XStyle.Label).Merge(3, 5, 3, 6, AchievedStars, XStyle.Center);
        x.Set(4, 1, "联系人", XStyle.Label).Merge(4, 2, 4, 3, ContactPerson, XStyle.Center).Set(4, 4, "联系方式", XStyle.Label).Merge(4, 5, 4, 6, ContactPhone, XStyle.Center);
        x.Merge(5, 1, 5 + Areas.Count + 1, 1, "评\n定\n得\n分", XStyle.Label);
        x.Merge(5, 2, 5, 3, "项目", XStyle.Header).Set(5, 4, "学校自评得分", XStyle.Header).Set(5, 5, "教育局评定得分", XStyle.Header).Set(5, 6, "教育厅评定得分", XStyle.Header);
        var row = 6;
        foreach (var area in Areas)
        {
            x.Merge(row, 2, row, 3, area.Name, XStyle.Text).Set(row, 4, area.Self, XStyle.Center).Set(row, 5, area.Bureau, XStyle.Center).Set(row, 6, area.Department, XStyle.Center);
            row++;
        }

        x.Merge(row, 2, row, 3, "合计", XStyle.Label).Set(row, 4, SelfTotal, XStyle.Center).Set(row, 5, BureauTotal, XStyle.Center).Set(row, 6, DepartmentTotal, XStyle.Center);
        foreach (var (text, height) in Lines())
        {
            row++;
            x.Merge(row, 1, row, 6, text, XStyle.Text);
            x.Heights[row] = height;
        }

        for (var r = 3; r <= 5 + Areas.Count + 1; r++)
        {
            x.Heights.TryAdd(r, 24);
        }

        row += 2;
        x.Merge(row, 1, row, 6, Remark, XStyle.Plain);
        return x;
    }

    /// <summary>The lines under the scores, in 附件2's order, with the height each gets for a seal or a signature.</summary>
    public IReadOnlyList<(string Text, double Height)> Lines() =>
    [
        ("申报星级：" + AppliedStars, 30),
        ($"{SchoolSeal}{Pad}{Date}", 48),
        (BureauLevel + BureauStars, 30),
        (ExpertSignature, 36),
        ($"{BureauSeal}{Pad}{Date}", 48),
        (DepartmentLevel + DepartmentStars, 30),
        (ExpertSignature, 36),
        ($"{DepartmentSeal}{Pad}{Date}", 48),
    ];

    private const string Pad = "                                        ";
}

/// <summary>One area's row of the 星级认定表: its name as 附件2 writes it and the three columns' scores.</summary>
public sealed record FormArea(string Name, decimal Self, decimal Bureau, decimal Department);
