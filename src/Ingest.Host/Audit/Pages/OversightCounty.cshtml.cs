using Ingest.Application.Oversight;
using Ingest.Application.People;
using Ingest.Application.UseCases;
using Ingest.Core.Periods;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Audit.Pages;

/// <summary>
/// 评定监督, one county: each school its bureau rated, furthest beyond the data first, with every pre-filled line the bureau
/// overrode (by how much, why, who), its level against the data's, and on-site lines far from the school's 自评.
/// </summary>
[Allow(Roles.Department, Roles.Auditor, Org = OrgFrom.Route, Key = "county")]
public sealed class OversightCountyModel(OversightService oversight) : PageModel
{
    [FromRoute]
    public string Cycle { get; set; } = string.Empty;

    [FromRoute]
    public string County { get; set; } = string.Empty;

    public CountyOversight Report { get; private set; } = null!;

    public Ingest.Data.Oversight.CountyDecision? Decision { get; private set; }

    public Refusal? Refused { get; private set; }

    public string? Notice { get; private set; }

    public bool MayDecide => User.IsInRole(Roles.Department);

    public Task<IActionResult> OnGetAsync(string? done, CancellationToken ct)
    {
        Notice = done;
        return LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostDecideAsync(bool criticised, string? quota, string? note, CancellationToken ct)
    {
        if (!EvaluationCycle.TryParse(Cycle, out var cycle))
        {
            return NotFound();
        }

        var decided = await oversight.DecideAsync(HttpCaller.Of(HttpContext), County, cycle, criticised, quota, note, ct);
        if (decided.Refusal is { Kind: RefusalKind.Forbidden })
        {
            return Forbid();
        }

        if (decided.Refusal is { } refused)
        {
            Refused = refused;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await LoadAsync(ct);
        }

        return RedirectToPage(new { cycle = Cycle, county = County, done = "已记录教育厅的决定" });
    }

    private async Task<IActionResult> LoadAsync(CancellationToken ct)
    {
        if (!EvaluationCycle.TryParse(Cycle, out var cycle))
        {
            return NotFound();
        }

        var outcome = await oversight.CountyAsync(HttpCaller.Of(HttpContext), County, cycle, ct);
        if (outcome.Refusal is { } no)
        {
            return no.Kind == RefusalKind.Forbidden ? Forbid() : NotFound();
        }

        Report = outcome.Value;
        Decision = (await oversight.DecisionAsync(HttpCaller.Of(HttpContext), County, cycle, ct)).Value;
        return Page();
    }
}
