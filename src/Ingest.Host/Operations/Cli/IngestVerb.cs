using System.Collections.Concurrent;
using System.Globalization;
using Ingest.Application.Ingestion;
using Ingest.Core.Periods;
using Ingest.Data.Audit;
using Ingest.Data.Runs;
using Spectre.Console;

namespace Ingest.Host.Operations.Cli;

/// <summary>The <c>ingest</c> verb: plans a run and executes its units here, a few at a time, with a progress display.</summary>
internal static class IngestVerb
{
    /// <exception cref="FormatException">The cycle or period is malformed, or both or neither are given.</exception>
    public static IngestionRequest Parse(string? cycle, string? period, string[]? counties, string[]? connectors)
    {
        if ((cycle is null) == (period is null))
        {
            throw new FormatException("请给出 --cycle（如 county:2024）或 --period（如 2023-2024），二者选一");
        }

        // Several cycles joined by + (school:2025+county:2025) are one night: a period they share is read once.
        var cycles = cycle is null ? [] : IngestionRequest.ParseCycles(cycle);
        return new IngestionRequest(
            "cli",
            cycles.FirstOrDefault(),
            period is null ? null : Period.Parse(period),
            counties ?? [],
            connectors ?? [],
            // This process runs the units itself: if it dies, the ones it had not started are settled by the next sweep.
            Runner: IngestionService.ThisProcessRunner(),
            Cycles: cycles.Skip(1).ToArray());
    }

    public static async Task<int> RunAsync(IngestionService ingestion, IngestionRequest request, int parallelism, CancellationToken ct)
    {
        var run = await ingestion.PlanAsync(request, Actor.CommandLine(Environment.UserName), ct);
        // One line however many counties: a log or a script reads the plan from it.
        Console.WriteLine($"采集批次 {run.RunId}：{run.Units.Count} 个采集单元，县（区）{string.Join("、", run.Counties)}，期间 {string.Join("、", run.Periods)}");
        if (run.Units.Count == 0)
        {
            await Console.Error.WriteLineAsync("ingest: 没有可采集的内容：启用的数据源都不采集这些期间（用 ingest connectors 查看各数据源可采集的期间）");
            return 1;
        }

        var outcomes = new ConcurrentBag<UnitOutcome>();
        try
        {
            await ExecuteAsync(ingestion, run, parallelism, outcomes, ct);
        }
        catch (OperationCanceledException)
        {
            // Nobody else will run this run's units: leave them failed with the reason, not 'running' for ever.
            var done = outcomes.Select(o => o.Key).ToHashSet();
            await ingestion.AbandonAsync(run.Units.Where(u => !done.Contains(u)), "命令行采集被取消，未完成即中断");
            throw;
        }

        ShowOutcomes(outcomes);
        var failed = outcomes.Count(o => o.Failed);
        if (failed > 0)
        {
            await Console.Error.WriteLineAsync($"ingest: 采集批次 {run.RunId} 的 {run.Units.Count} 个采集单元中 {failed} 个失败，其余已保存");
            return 2;
        }

        return 0;
    }

    private static Task ExecuteAsync(IngestionService ingestion, PlannedRun run, int parallelism, ConcurrentBag<UnitOutcome> outcomes, CancellationToken ct) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var overall = progress.AddTask("采集单元", maxValue: run.Units.Count);
                await ingestion.ExecuteAsync(run, parallelism, outcome =>
                {
                    outcomes.Add(outcome);
                    overall.Increment(1);
                    overall.Description = $"采集单元（失败 {outcomes.Count(o => o.Failed)} 个）";
                },
                // The caption follows the stream being read, so a long county shows it is alive.
                what => new Reporter(r => overall.Description = string.Create(CultureInfo.InvariantCulture, $"{Unit(what)} {Web.PageText.StreamName(r.Stream)}：已读 {r.Rows:N0} 行")), ct);
            });

    private static void ShowOutcomes(IEnumerable<UnitOutcome> outcomes)
    {
        var table = new Table().AddColumns("数据源", "县（区）", "期间", "状态", "新增指标数据", "有变化", "未变", "原因");
        foreach (var o in outcomes.OrderBy(o => o.Key.Connector).ThenBy(o => o.Key.CountyCode).ThenBy(o => o.Key.Period))
        {
            table.AddRow(Markup.Escape(Ingest.Scoring.Sheets.RaterText.SourceName(o.Key.Connector)), o.Key.CountyCode, o.Key.Period,
                o.Failed ? "[red]失败[/]" : Ingest.Application.Operations.RunText.StatusWord(o.Status),
                N(o.FactsInserted), N(o.FactsUpdated), N(o.FactsUnchanged), Markup.Escape(o.Error ?? string.Empty));
        }

        AnsiConsole.Write(table);
    }

    /// <summary>“cloud 640424” (the connector and the county a runner reads) as “宁夏教育云 640424”.</summary>
    private static string Unit(string what) =>
        what.Split(' ', 2) is [var connector, var county] ? $"{Ingest.Scoring.Sheets.RaterText.SourceName(connector)} {county}" : what;

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private sealed class Reporter(Action<(string Stream, long Rows)> report) : IProgress<(string Stream, long Rows)>
    {
        public void Report((string Stream, long Rows) value) => report(value);
    }
}
