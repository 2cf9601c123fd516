using System.Globalization;
using Ingest.Application.Operations;
using Ingest.Core.Indicators;
using Ingest.Data.Facts;
using Ingest.Data.Runs;
using Ingest.Scoring.Sheets;
using Spectre.Console;

namespace Ingest.Host.Operations.Cli;

/// <summary>The read-only verbs: <c>runs</c> and <c>facts</c>.</summary>
internal static class ReportVerbs
{
    private static readonly TimeZoneInfo China = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static async Task ShowRunsAsync(IServiceProvider services, int limit, CancellationToken ct)
    {
        var runs = await services.GetRequiredService<RunReader>().ListRunsAsync(limit, ct);
        if (runs.Count == 0)
        {
            Console.WriteLine("还没有采集批次。");
            return;
        }

        foreach (var run in runs)
        {
            var started = TimeZoneInfo.ConvertTime(run.StartedAt, China).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            AnsiConsole.MarkupLine($"[bold]采集批次 {run.Id}[/] {RunText.TriggerWord(run.Trigger)}{(run.Backfill ? "补采" : string.Empty)} {Markup.Escape(RunText.CyclesTitle(run.Cycle))} " +
                $"开始于 {started}（北京时间）：[{(run.Status == "succeeded" ? "green" : run.Status == "running" ? "yellow" : "red")}]{RunText.StatusWord(run.Status)}[/]，" +
                $"{run.Units} 个采集单元中成功 {run.UnitsSucceeded} 个、失败 {run.UnitsFailed} 个" +
                (run.Note is null ? string.Empty : $"（{Markup.Escape(run.Note)}）"));
            if (run.Streams.Count == 0)
            {
                continue;
            }

            var table = new Table().AddColumns("数据源", "数据流", "县（区）", "失败", "有疑点", "页数", "所需页数", "读取行数", "保留行数", "指标数据");
            foreach (var s in run.Streams)
            {
                table.AddRow(Markup.Escape(RaterText.SourceName(s.Connector)), Markup.Escape(Web.PageText.StreamName(s.Stream)), N(s.Counties), N(s.Failed), N(s.Flagged), N(s.Pages),
                    s.PagesNeeded is { } needed ? N(needed) : "—", N(s.RowsRead), N(s.RowsKept), N(s.FactsEmitted));
            }

            AnsiConsole.Write(table);
            if (run.Streams.Any(s => s.PagesNeeded is not null))
            {
                var (made, needed) = (run.Streams.Sum(s => s.Pages), run.Streams.Sum(s => s.PagesNeeded ?? s.Pages));
                AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"请求 {made} 页，所需 {needed} 页（所需 ÷ 请求 {(made == 0 ? 1 : (double)needed / made):0.00}）"));
            }
        }
    }

    /// <summary>Prints what is stale and what is failing; 0 when nothing is, 1 otherwise (for monitoring).</summary>
    public static int ShowStatus(OperationsStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        Console.WriteLine($"数据新鲜度（{Web.PageText.Time(status.At)}，超过 {StatusService.Age(status.StaleAfter)} 未成功即为过期）：" +
            $"{status.All.Count} 个数据源·县（区），过期 {status.Stale.Count} 个，失败 {status.Failing.Count} 个");
        if (status.All.Count == 0)
        {
            Console.WriteLine("还没有任何采集记录。");
            return 1;
        }

        if (status.Stale.Count > 0)
        {
            var table = new Table().AddColumns("数据源", "县（区）", "最近成功", "距今");
            foreach (var s in status.Stale)
            {
                table.AddRow(Markup.Escape(s.Connector), Markup.Escape($"{s.CountyName}（{s.CountyCode}）"), Web.PageText.Time(s.LastSuccess), StatusService.Age(s.Age));
            }

            AnsiConsole.MarkupLine("[bold]过期[/]");
            AnsiConsole.Write(table);
        }

        if (status.Failing.Count > 0)
        {
            var table = new Table().AddColumns("数据源", "县（区）", "失败时间", "原因");
            foreach (var s in status.Failing)
            {
                table.AddRow(Markup.Escape(s.Connector), Markup.Escape($"{s.CountyName}（{s.CountyCode}）"), Web.PageText.Time(s.LastFailure), Markup.Escape(s.LastError ?? string.Empty));
            }

            AnsiConsole.MarkupLine("[bold]最近一次采集失败[/]");
            AnsiConsole.Write(table);
        }

        return status.Healthy ? 0 : 1;
    }

    /// <summary>The rating year's stages, and what waits past a deadline, county by county.</summary>
    public static void ShowProgress(Ingest.Application.Year.YearProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        Console.WriteLine($"{progress.Year}年度评定日程：" + string.Join("；", progress.Stages.Select(s => $"{s.Name} 截止 {s.DeadlineText}")));
        if (progress.Warnings.Count == 0)
        {
            Console.WriteLine("没有已过截止日期仍未完成的事项。");
            return;
        }

        foreach (var w in progress.Warnings)
        {
            Console.WriteLine("提醒：" + w.Text);
        }
    }

    public static async Task ShowFactsAsync(IServiceProvider services, string? org, string? indicator, string? period, int limit, CancellationToken ct)
    {
        var facts = await services.GetRequiredService<FactReader>().ListAsync(org, indicator, period, limit, ct);
        if (facts.Count == 0)
        {
            Console.WriteLine("没有符合条件的指标数据。");
            return;
        }

        var table = new Table().AddColumns("机构", "指标", "名称", "期间", "来源", "值", "分子", "分母", "运行");
        foreach (var f in facts)
        {
            table.AddRow(f.OrgCode, f.IndicatorCode, IndicatorCatalogue.Find(f.IndicatorCode)?.NameZh ?? string.Empty, f.Period, f.Source,
                f.Value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "未知", D(f.Numerator), D(f.Denominator), N(f.RunId));
        }

        AnsiConsole.Write(table);
    }

    public static void ShowConnectors(Ingest.Application.Ingestion.ConnectorRegistry registry)
    {
        if (registry.All.Count == 0)
        {
            Console.WriteLine("没有启用的数据源：请在配置的 Connectors 一节启用宁夏教育云（CloudPlatform）或教育信息化工作进展系统（Progress）。");
            return;
        }

        var table = new Table().AddColumns("数据源", "数据流", "可采集的期间");
        foreach (var c in registry.All.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            foreach (var s in c.Streams)
            {
                table.AddRow(Markup.Escape($"{RaterText.SourceName(c.Name)}（{c.Name}）"), Markup.Escape(Web.PageText.StreamName(s.Name)),
                    string.Join("、", s.PeriodKinds.Order().Select(PeriodKindWord)));
            }
        }

        AnsiConsole.Write(table);
        Console.WriteLine(registry.Directory is null ? "机构目录：未配置（采集时请用 --county 指定县（区））。" : "机构目录：已配置。");
    }

    /// <summary>自然年, 学年, 半年, 日: a kind of period as the rubrics name it.</summary>
    private static string PeriodKindWord(Ingest.Core.Periods.PeriodKind kind) => kind switch
    {
        Ingest.Core.Periods.PeriodKind.CalendarYear => "自然年（2023）",
        Ingest.Core.Periods.PeriodKind.SchoolYear => "学年（2023-2024）",
        Ingest.Core.Periods.PeriodKind.HalfYear => "半年（2023H1）",
        _ => "日（2024-06-30）",
    };

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string D(decimal? d) => d?.ToString("0.####", CultureInfo.InvariantCulture) ?? string.Empty;
}
