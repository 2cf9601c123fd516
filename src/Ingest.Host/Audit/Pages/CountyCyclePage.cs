using Ingest.Application.People;
using Ingest.Application.UseCases;
using Ingest.Core.Periods;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Audit.Pages;

/// <summary>
/// A page of one county in one cycle whose forms act through a use case: an unknown cycle is not found; a refused read is
/// 403 or 404; a refused action shows its reason on the page (400) with what the page shows; a done one goes back to the
/// page with its notice (post, redirect, get).
/// </summary>
public abstract class CountyCyclePage : PageModel
{
    [FromRoute]
    public string Cycle { get; set; } = string.Empty;

    [FromRoute]
    public string County { get; set; } = string.Empty;

    /// <summary>Why the last action was refused, shown on the page.</summary>
    public Refusal? Refused { get; private set; }

    /// <summary>What the last action did, in words.</summary>
    public string? Notice { get; private set; }

    public Task<IActionResult> OnGetAsync(string? done, CancellationToken ct)
    {
        Notice = done;
        return LoadAsync(ct);
    }

    /// <summary>Reads what the page shows for <paramref name="cycle"/>; a refusal ends as 403 or 404.</summary>
    protected abstract Task<Refusal?> ShowAsync(Caller caller, EvaluationCycle cycle, CancellationToken ct);

    /// <param name="may">Whether the caller's role may do this at all: refused before its form is read (the use case decides the rest).</param>
    /// <param name="act">The use case, answering the notice to show once done.</param>
    protected async Task<IActionResult> ActAsync(bool may, Func<Caller, EvaluationCycle, Task<Outcome<string>>> act, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(act);
        if (!may)
        {
            return Forbid();
        }

        if (!EvaluationCycle.TryParse(Cycle, out var cycle))
        {
            return NotFound();
        }

        var outcome = await act(HttpCaller.Of(HttpContext), cycle);
        if (outcome.Refusal is { Kind: RefusalKind.Forbidden })
        {
            return Forbid();
        }

        if (outcome.Refusal is { } refused)
        {
            Refused = refused;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await LoadAsync(ct);
        }

        return RedirectToPage(new { cycle = Cycle, county = County, done = outcome.Value });
    }

    /// <summary>A random seed as typed on a form: none when left empty (the use case makes one), else a whole number.</summary>
    protected static Outcome<long?> Seed(string? seed, string title)
    {
        if (string.IsNullOrWhiteSpace(seed))
        {
            return Outcome.Done<long?>(null);
        }

        return long.TryParse(seed.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? Outcome.Done<long?>(value)
            : Refusal.Invalid(title, "seed", $"随机种子“{seed.Trim()}”应为非负整数，或留空由系统生成");
    }

    private async Task<IActionResult> LoadAsync(CancellationToken ct)
    {
        if (!EvaluationCycle.TryParse(Cycle, out var cycle))
        {
            return NotFound();
        }

        return await ShowAsync(HttpCaller.Of(HttpContext), cycle, ct) switch
        {
            { Kind: RefusalKind.Forbidden } => Forbid(),
            { } => NotFound(),
            null => Page(),
        };
    }
}
