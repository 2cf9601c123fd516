using System.Globalization;
using System.Net.Http.Json;
using Ingest.Data.Organisations;
using Ingest.Data.Runs;
using Microsoft.Extensions.Options;

namespace Ingest.Application.Operations;

/// <summary>A connector's county: its last success (not a backfill's), how old it is, and a failure since then with the reason.</summary>
public sealed record CountyFreshness(string Connector, string CountyCode, string CountyName, DateTimeOffset? LastSuccess, long? LastSuccessRun, TimeSpan? Age,
    bool Stale, DateTimeOffset? LastFailure, string? LastError);

/// <summary>What operations are paged about: what is stale beyond the configured age, and what failed since it last succeeded.</summary>
public sealed record OperationsStatus(DateTimeOffset At, TimeSpan StaleAfter, IReadOnlyList<CountyFreshness> Stale, IReadOnlyList<CountyFreshness> Failing,
    IReadOnlyList<CountyFreshness> All)
{
    public bool Healthy => Stale.Count == 0 && Failing.Count == 0;
}

/// <summary>Freshness of every connector × county, for the status verb, its API, the freshness page and the alerts.</summary>
public sealed class StatusService(RunReader runs, OrganisationStore organisations, IOptionsMonitor<OperationsOptions> options, TimeProvider clock)
{
    public async Task<OperationsStatus> StatusAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var staleAfter = options.CurrentValue.StaleAfter;
        var names = (await organisations.ListCountiesAsync(ct)).ToDictionary(c => c.Code, c => c.Name);
        var all = (await runs.FreshnessAsync(ct)).Select(f =>
        {
            var age = f.LastSuccess is { } at ? now - at : (TimeSpan?)null;
            return new CountyFreshness(f.Connector, f.CountyCode, names.GetValueOrDefault(f.CountyCode, f.CountyCode), f.LastSuccess, f.LastSuccessRun, age,
                age is null || age > staleAfter, f.LastFailure, f.LastError);
        }).OrderByDescending(r => r.Stale).ThenBy(r => r.Connector, StringComparer.Ordinal).ThenBy(r => r.CountyCode, StringComparer.Ordinal).ToArray();
        return new OperationsStatus(now, staleAfter, all.Where(r => r.Stale).ToArray(), all.Where(r => r.LastFailure is not null).ToArray(), all);
    }

    /// <summary>3 天 4 小时, 5 小时, 12 分钟; 从未成功.</summary>
    public static string Age(TimeSpan? age) => age switch
    {
        null => "从未成功",
        { TotalDays: >= 1 } a => string.Create(CultureInfo.InvariantCulture, $"{(int)a.TotalDays} 天 {a.Hours} 小时"),
        { TotalHours: >= 1 } a => string.Create(CultureInfo.InvariantCulture, $"{(int)a.TotalHours} 小时"),
        { } a => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)a.TotalMinutes)} 分钟"),
    };
}

/// <summary>What the webhook receives when a run ends with failures or stale data.</summary>
public sealed record RunAlert(string Event, long RunId, string? Cycle, string Status, bool Backfill, string Text, IReadOnlyList<UnitKeyedError> Failures,
    IReadOnlyList<CountyFreshness> Stale);

/// <summary>
/// Calls the configured webhook once when a run ends with failed or interrupted units, or leaves data stale: the run
/// is marked alerted first, so two units finishing it together send one call. A call that fails is logged; the run
/// is complete regardless.
/// </summary>
public sealed class RunAlerts(RunStore runs, RunReader reader, StatusService status, IHttpClientFactory http, IOptionsMonitor<OperationsOptions> options, ILogger<RunAlerts> logger)
{
    public const string HttpClientName = "alerts";

    public async Task RunCompletedAsync(long runId, string runStatus, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        if (settings.WebhookUrl is not { } url)
        {
            return;
        }

        var failures = await reader.FailedUnitsAsync(runId, ct);
        var stale = (await status.StatusAsync(ct)).Stale;
        if ((failures.Count == 0 && stale.Count == 0) || !await runs.MarkAlertedAsync(runId, ct))
        {
            return;
        }

        var run = (await reader.FindRunsAsync([runId], ct)).Single();
        var text = string.Create(CultureInfo.InvariantCulture,
            $"采集批次 {runId}（{run.Cycle ?? "指定期间"}{(run.Backfill ? "，补采" : "")}）结束：{RunText.StatusWord(runStatus)}；失败或中断 {failures.Count} 个单元，数据过期 {stale.Count} 个县（区）·接口") +
            (failures.Count == 0 ? string.Empty : "。" + string.Join("；", failures.Take(5).Select(f => $"{f.Connector} {f.CountyCode} {f.Period}：{f.Error}")));
        try
        {
            using var client = http.CreateClient(HttpClientName);
            client.Timeout = settings.WebhookTimeout;
            using var response = await client.PostAsJsonAsync(url, new RunAlert("run.completed", runId, run.Cycle, runStatus, run.Backfill, text, failures, stale), ct);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("The alert webhook answered {Status} for run {RunId}", (int)response.StatusCode, runId);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            logger.LogWarning("The alert webhook could not be called for run {RunId}: {Reason}", runId, e.Message);
        }
    }
}
