using Ingest.Core.Sheets;
using Ingest.Data.Scoresheets;
using Ingest.Scoring.Sheets;
using Spectre.Console;

namespace Ingest.Host.Scoring.Cli;

/// <summary>
/// Scoresheets on the console as a rater reads them beside the rubric: each line with the item's text, its status in
/// Chinese, the score, and the evidence (indicator, period, figure, source, batch) or who entered what and why.
/// </summary>
internal static class ScoresheetPrinter
{
    public static void Sheet(Scoresheet sheet, Column column)
    {
        var applied = sheet.AppliedStars is { } a ? RaterText.Stars(a) : "未申报";
        AnsiConsole.MarkupLine(Markup.Escape($"{sheet.OrgName}（{sheet.OrgCode}）· {sheet.Rubric.Title} · {sheet.Cycle.Year}年度 · 申报星级：{applied}"));
        AnsiConsole.MarkupLine(Markup.Escape(
            $"数据期间：自然年 {RaterText.Period(sheet.Periods.CalendarYear.Code)} · 学年 {RaterText.Period(sheet.Periods.SchoolYear.Code)} · 基础设施导出 {sheet.Periods.InfrastructureExport.Code}"));
        var totals = new Table().AddColumn("项目");
        foreach (var c in sheet.Columns)
        {
            totals.AddColumn(RaterText.ColumnTitle(c.Column));
        }

        foreach (var area in sheet.Rubric.Areas)
        {
            totals.AddRow([Markup.Escape($"{area.Code} {area.Name}（{RaterText.Score(area.Points)}分）"),
                .. sheet.Columns.Select(c => RaterText.Score(c.Areas.Single(x => x.Area.Code == area.Code).Score))]);
        }

        totals.AddRow(["合计", .. sheet.Columns.Select(c => RaterText.Score(c.Total))]);
        if (sheet.Rubric.StarLevels.Count > 0)
        {
            totals.AddRow(["星级", .. sheet.Columns.Select(c => Markup.Escape(RaterText.Level(c.Column, c.Stars)))]);
        }

        totals.AddRow(["待填 / 无法计算", .. sheet.Columns.Select(c => $"{c.Pending} / {c.NotComputable}")]);
        AnsiConsole.Write(totals);

        var result = sheet.Column(column);
        var lines = new Table().Title(Markup.Escape(RaterText.ColumnTitle(column))).ShowRowSeparators()
            .AddColumn("序号").AddColumn(new TableColumn("指标内容").Width(44)).AddColumn("分值").AddColumn("状态").AddColumn("得分")
            .AddColumn(new TableColumn("依据").Width(60));
        foreach (var item in result.Items)
        {
            foreach (var line in item.Targets)
            {
                var text = line.Target.Label is { } part ? $"{item.Item.Text}\n（本部分：{part}）" : item.Item.Text;
                lines.AddRow(Markup.Escape(Ingest.Scoring.Rubrics.PrintedItems.Number(line.Target.Key)), Markup.Escape(text), RaterText.Score(line.Target.Points), LineText.Status(line),
                    RaterText.Score(line.Score), Markup.Escape(LineText.Basis(line)));
            }
        }

        AnsiConsole.Write(lines);
        var level = result.Stars is null ? string.Empty : "，" + RaterText.Level(result.Stars);
        AnsiConsole.MarkupLine(Markup.Escape($"{RaterText.ColumnTitle(column)}合计 {RaterText.Score(result.Total)}{level}"));
    }

    public static void List(IReadOnlyList<ScoresheetSummary> list)
    {
        if (list.Count == 0)
        {
            Console.WriteLine("没有评分表。");
            return;
        }

        var table = new Table().AddColumns("机构代码", "名称", "申报星级", "学校自评", "教育局评定", "教育厅评定", "教育局认定星级", "待填", "无法计算");
        foreach (var s in list)
        {
            var bureau = s.Columns.GetValueOrDefault("bureau");
            table.AddRow(s.OrgCode, Markup.Escape(s.OrgName), s.AppliedStars is { } a ? RaterText.Stars(a) : "未申报",
                Total(s, "self"), Total(s, "bureau"), Total(s, "department"),
                Markup.Escape(Web.PageText.Level(Column.Bureau, bureau)),
                bureau?.Pending.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
                bureau?.NotComputable.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
        }

        AnsiConsole.Write(table);

        static string Total(ScoresheetSummary s, string column) => s.Columns.GetValueOrDefault(column) is { } c ? RaterText.Score(c.Total) : string.Empty;
    }
}
