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

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
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
        return Page();
    }
}
