using System.Globalization;
using Ingest.Core.Indicators;
using Ingest.Data.Facts;
using Ingest.Data.Runs;
using Ingest.Host.Cli;
using Spectre.Console;

namespace Ingest.Host.Operations.Cli;

/// <summary>The read-only verbs: <c>runs</c> and <c>facts</c>.</summary>
internal static class ReportVerbs
{
    private static readonly TimeZoneInfo China = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static async Task ShowRunsAsync(IServiceProvider services, int limit, CancellationToken ct)
    {
        var runs = await services.GetRequiredService<RunStore>().ListRunsAsync(limit, ct);
        if (runs.Count == 0)
        {
            Console.WriteLine("No runs yet.");
            return;
        }

        foreach (var run in runs)
        {
            var started = TimeZoneInfo.ConvertTime(run.StartedAt, China).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            AnsiConsole.MarkupLine($"[bold]Run {run.Id}[/] {Markup.Escape(run.Trigger)} {Markup.Escape(run.Cycle ?? string.Empty)} started {started} (+08:00): " +
                $"[{(run.Status == "succeeded" ? "green" : run.Status == "running" ? "yellow" : "red")}]{run.Status}[/], " +
                $"{run.UnitsSucceeded}/{run.Units} units succeeded, {run.UnitsFailed} failed" +
                (run.Note is null ? string.Empty : $" ({Markup.Escape(run.Note)})"));
            if (run.Streams.Count == 0)
            {
                continue;
            }

            var table = new Table().AddColumns("connector", "stream", "counties", "failed", "flagged", "pages", "rows read", "rows kept", "facts");
            foreach (var s in run.Streams)
            {
                table.AddRow(s.Connector, s.Stream, N(s.Counties), N(s.Failed), N(s.Flagged), N(s.Pages), N(s.RowsRead), N(s.RowsKept), N(s.FactsEmitted));
            }

            AnsiConsole.Write(table);
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

    public static void ShowConnectors(Ingestion.ConnectorRegistry registry)
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
