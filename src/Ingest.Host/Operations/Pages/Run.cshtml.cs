using Ingest.Application.People;
using Ingest.Data.Runs;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Operations.Pages;

/// <summary>One run's units: state, attempts, facts, streams with their counts, and the reason of each failure. Refreshes itself while running.</summary>
[Allow(Roles.Ops, Roles.Auditor)]
public sealed class RunModel(RunReader runs) : PageModel
{
    [FromRoute]
    public long Id { get; set; }

    public RunSummary? Run { get; private set; }

    public IReadOnlyList<UnitView> Units { get; private set; } = [];

    /// <summary>The county a county's auditor sees; null: every county.</summary>
    public string? County => AccessRules.RunCounty(HttpCaller.Of(HttpContext));

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        // A county's auditor sees a run that read its county, and only that county's units: another run is not found.
        Run = await runs.FindRunAsync(Id, County, ct);
        if (Run is null)
        {
            return NotFound();
        }

        Units = await runs.ListUnitsAsync(Id, County, ct);
        return Page();
    }
}
