using Ingest.Data.Scoresheets;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;
using Spectre.Console;

namespace Ingest.Host.Cli;

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
            totals.AddRow(["星级", .. sheet.Columns.Select(c => Markup.Escape(RaterText.Level(c.Stars)))]);
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
                lines.AddRow(Markup.Escape(line.Target.Key), Markup.Escape(text), RaterText.Score(line.Target.Points), Status(line),
                    RaterText.Score(line.Score), Markup.Escape(Basis(line)));
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
                Markup.Escape(bureau is null ? string.Empty : RaterText.Level(new StarResult(bureau.Stars, bureau.StarsByTotal, bureau.UnmetVetoItems,
                    bureau.Stars != bureau.StarsByTotal, bureau.Pending + bureau.NotComputable > 0))),
                bureau?.Pending.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
                bureau?.NotComputable.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
        }

        AnsiConsole.Write(table);

        static string Total(ScoresheetSummary s, string column) => s.Columns.GetValueOrDefault(column) is { } c ? RaterText.Score(c.Total) : string.Empty;
    }

    /// <summary>The status word; an entry that changed a computed auto score is 已改写.</summary>
    public static string Status(TargetLine line) =>
        RaterText.StatusWord(line.Status, line is { Entry: not null, Auto: { Computable: true } auto } && line.Score != auto.Score);

    /// <summary>
    /// What a line rests on: for an entry, what was entered, by whom and why (and the auto score it replaced); for an
    /// auto line, the comparison and each fact; for a line that waits, why.
    /// </summary>
    public static string Basis(TargetLine line)
    {
        var parts = new List<string>();
        if (line.Entry is { } e)
        {
            var value = e.Value switch
            {
                { Counts: { } counts } => RaterText.Counts(line.Target.CountSpecs, counts),
                { Flag: { } flag } => flag ? "是" : "否",
                { Score: { } score } => RaterText.Score(score) + "分",
                _ => string.Empty,
            };
            parts.Add($"{e.By} 录入 {value}{(e.Value.Reason is { } reason ? "，理由：" + reason : string.Empty)}");
            if (line.Auto is { Computable: true } auto && auto.Score != line.Score)
            {
                parts.Add($"自动得分 {RaterText.Score(auto.Score)}");
            }
        }
        else if (line.Target.Rule is FlagRule or CountsRule or BandsRule { Input: CountInput })
        {
            parts.Add(line.Target.Entry == EntryKind.Flag ? "待填：是 或 否" : "待填次数：" + string.Join("；", line.Target.CountSpecs.Select(c => c.Label)));
        }

        if (line.Auto is { } a)
        {
            parts.Add((a.OnSite ? a.Reason : a.Summary ?? a.Reason) ?? string.Empty);
            parts.AddRange(a.Evidence.Select(RaterText.Evidence));
        }

        return string.Join("\n", parts.Where(p => p.Length > 0));
    }
}
