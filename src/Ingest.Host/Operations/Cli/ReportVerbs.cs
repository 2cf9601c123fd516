using System.Globalization;
using Ingest.Application.Operations;
using Ingest.Core.Indicators;
using Ingest.Data.Facts;
using Ingest.Data.Runs;
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
            Console.WriteLine("No runs yet.");
            return;
        }

        foreach (var run in runs)
        {
            var started = TimeZoneInfo.ConvertTime(run.StartedAt, China).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            AnsiConsole.MarkupLine($"[bold]Run {run.Id}[/] {Markup.Escape(run.Trigger)}{(run.Backfill ? " backfill" : string.Empty)} {Markup.Escape(run.Cycle ?? string.Empty)} started {started} (+08:00): " +
                $"[{(run.Status == "succeeded" ? "green" : run.Status == "running" ? "yellow" : "red")}]{run.Status}[/], " +
                $"{run.UnitsSucceeded}/{run.Units} units succeeded, {run.UnitsFailed} failed" +
                (run.Note is null ? string.Empty : $" ({Markup.Escape(run.Note)})"));
            if (run.Streams.Count == 0)
            {
                continue;
            }

            var table = new Table().AddColumns("connector", "stream", "counties", "failed", "flagged", "pages", "pages needed", "rows read", "rows kept", "facts");
            foreach (var s in run.Streams)
            {
                table.AddRow(s.Connector, s.Stream, N(s.Counties), N(s.Failed), N(s.Flagged), N(s.Pages), s.PagesNeeded is { } needed ? N(needed) : "-", N(s.RowsRead),
                    N(s.RowsKept), N(s.FactsEmitted));
            }

            AnsiConsole.Write(table);
            if (run.Streams.Any(s => s.PagesNeeded is not null))
            {
                var (made, needed) = (run.Streams.Sum(s => s.Pages), run.Streams.Sum(s => s.PagesNeeded ?? s.Pages));
                AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"pages made {made}, needed {needed} (needed ÷ made {(made == 0 ? 1 : (double)needed / made):0.00})"));
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
            Console.WriteLine("No facts match.");
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
            Console.WriteLine("No connectors are registered.");
            return;
        }

        var table = new Table().AddColumns("connector", "stream", "periods");
        foreach (var c in registry.All.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            foreach (var s in c.Streams)
            {
                table.AddRow(c.Name, s.Name, string.Join(", ", s.PeriodKinds.Order()));
            }
        }

        AnsiConsole.Write(table);
        Console.WriteLine(registry.Directory is null ? "Organisation directory: none (name counties with --county)." : "Organisation directory: provided.");
    }

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string D(decimal? d) => d?.ToString("0.####", CultureInfo.InvariantCulture) ?? string.Empty;
}
