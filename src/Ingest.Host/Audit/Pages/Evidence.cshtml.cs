using Ingest.Application.Evidence;
using Ingest.Application.People;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Audit.Pages;

/// <summary>The trail behind one figure: each value it has had, the run that read it, and that run's upstream pages for it.</summary>
[Allow(Roles.Ops, Roles.Auditor, Org = OrgFrom.Query, Key = "org")]
public sealed class EvidenceModel(EvidenceService evidence, AccessRules rules) : PageModel
{
    [FromQuery]
    public string Org { get; set; } = string.Empty;

    [FromQuery]
    public string Indicator { get; set; } = string.Empty;

    [FromQuery]
    public string Period { get; set; } = string.Empty;

    [FromQuery]
    public string Source { get; set; } = string.Empty;

    public FactTrail? Trail { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Org) || string.IsNullOrWhiteSpace(Indicator) || string.IsNullOrWhiteSpace(Period) || string.IsNullOrWhiteSpace(Source))
        {
            return NotFound();
        }

        if (await rules.FactsRefusalAsync(HttpCaller.Of(HttpContext), Org, ct) is not null)
        {
            return Forbid();
        }

        Trail = await evidence.TrailAsync(Org, Indicator, Period, Source, ct);
        return Trail is null ? NotFound() : Page();
    }
}
