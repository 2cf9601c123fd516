using Ingest.Application.People;
using Ingest.Application.Remediation;
using Ingest.Application.UseCases;
using Ingest.Core.Periods;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Scoring.Pages;

/// <summary>A county's 整改 items: the overdue first, then every item by deadline with its school, status and the data's word; the workbook to download.</summary>
[Allow(Roles.Department, Roles.Bureau, Roles.Auditor, Org = OrgFrom.Route, Key = "county")]
public sealed class RemediationCountyModel(RemediationService service) : PageModel
{
    [FromRoute]
    public string Cycle { get; set; } = string.Empty;

    [FromRoute]
    public string County { get; set; } = string.Empty;

    public CountyRemediation View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!EvaluationCycle.TryParse(Cycle, out var cycle))
        {
            return NotFound();
        }

        var view = await service.CountyAsync(HttpCaller.Of(HttpContext), County, cycle, ct);
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
