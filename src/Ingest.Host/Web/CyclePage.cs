using Ingest.Application.People;
using Ingest.Application.UseCases;
using Ingest.Core.Periods;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;

namespace Ingest.Host.Web;

/// <summary>
/// A page of one cycle whose forms act through a use case: an unknown cycle is not found; a refused read is 403 or 404;
/// a refused action shows its reason on the page (400) with what the page shows; a done one goes back to the page with
/// its notice (post, redirect, get), keeping the page's own route values.
/// </summary>
public abstract class CyclePage : PageModel
{
    [FromRoute]
    public string Cycle { get; set; } = string.Empty;

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
            var shown = await LoadAsync(ct);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return shown;
        }

        var values = new RouteValueDictionary();
        foreach (var (key, value) in RouteData.Values)
        {
            if (key is not ("page" or "handler"))
            {
                values[key] = value;
            }
        }

        values["done"] = outcome.Value;
        return RedirectToPage(values);
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
