using Ingest.Data.Organisations;
using Ingest.Data.Runs;
using Ingest.Host.People;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Ingest.Host.Operations.Pages;

/// <summary>For every connector × county, the last night it succeeded and how old that is; stale beyond the configured age.</summary>
[Authorize(Policy = Policies.Ops)]
public sealed class FreshnessModel(RunStore runs, OrganisationStore organisations, IOptionsMonitor<OperationsOptions> options, TimeProvider clock) : PageModel
{
    public IReadOnlyList<(Freshness Row, string CountyName, TimeSpan? Age, bool Stale)> Rows { get; private set; } = [];

    public TimeSpan StaleAfter => options.CurrentValue.StaleAfter;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var names = (await organisations.ListCountiesAsync(ct)).ToDictionary(c => c.Code, c => c.Name);
        Rows = (await runs.FreshnessAsync(ct)).Select(f =>
        {
            var age = f.LastSuccess is { } at ? now - at : (TimeSpan?)null;
            return (f, names.GetValueOrDefault(f.CountyCode, f.CountyCode), age, age is null || age > StaleAfter);
        }).OrderByDescending(r => r.Item4).ThenBy(r => r.f.Connector).ThenBy(r => r.f.CountyCode).ToArray();
    }

    /// <summary>3 天 4 小时, 5 小时, 12 分钟.</summary>
    public static string Age(TimeSpan? age) => age switch
    {
        null => "从未成功",
        { TotalDays: >= 1 } a => $"{(int)a.TotalDays} 天 {a.Hours} 小时",
        { TotalHours: >= 1 } a => $"{(int)a.TotalHours} 小时",
        { } a => $"{Math.Max(0, (int)a.TotalMinutes)} 分钟",
    };
}
