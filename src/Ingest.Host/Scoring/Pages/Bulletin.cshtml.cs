using Ingest.Application.Bulletins;
using Ingest.Application.People;
using Ingest.Application.UseCases;
using Ingest.Core.Periods;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Scoring.Pages;

/// <summary>
/// A county's bulletin (通报) as its author writes it: the draft in the order seed 002 has, each hole a field in its
/// place; saved through <see cref="BulletinService"/>; the Word draft and, once nothing waits, the final bulletin.
/// </summary>
[Allow(Roles.Department, Roles.Bureau, Roles.Auditor, Org = OrgFrom.Route, Key = "county")]
public sealed class BulletinModel(BulletinService service) : PageModel
{
    [FromRoute]
    public string Cycle { get; set; } = string.Empty;

    [FromRoute]
    public string County { get; set; } = string.Empty;

    public BulletinView View { get; private set; } = null!;

    public Refusal? Refused { get; private set; }

    public string? Notice { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? done, CancellationToken ct)
    {
        Notice = done;
        return await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostWriteAsync([FromForm] Dictionary<string, string?> fill, CancellationToken ct)
    {
        if (!EvaluationCycle.TryParse(Cycle, out var cycle))
        {
            return NotFound();
        }

        var outcome = await service.WriteAsync(HttpCaller.Of(HttpContext), County, cycle, fill ?? [], ct);
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

        var waiting = outcome.Value.Draft.Waiting.Count;
        return RedirectToPage(new { cycle = Cycle, county = County, done = waiting == 0 ? "已保存：没有待填项，可以导出定稿" : $"已保存：还有 {waiting} 处待填" });
    }

    private async Task<IActionResult> LoadAsync(CancellationToken ct)
    {
        if (!EvaluationCycle.TryParse(Cycle, out var cycle))
        {
            return NotFound();
        }

        var view = await service.DraftAsync(HttpCaller.Of(HttpContext), County, cycle, ct);
        if (view.Refusal is { Kind: RefusalKind.Forbidden })
        {
            return Forbid();
        }

        if (view.Refusal is not null)
        {
            return NotFound();
        }

        View = view.Value;
        return Page();
    }
}
