using Ingest.Data.Runs;
using Ingest.Host.People;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Operations.Pages;

/// <summary>One run's units: state, attempts, facts, streams with their counts, and the reason of each failure. Refreshes itself while running.</summary>
[Authorize(Policy = Policies.OpsOrAuditor)]
public sealed class RunModel(RunStore runs) : PageModel
{
    [FromRoute]
    public long Id { get; set; }

    public RunSummary? Run { get; private set; }

    public IReadOnlyList<UnitView> Units { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Run = (await runs.ListRunsAsync(500, ct)).FirstOrDefault(r => r.Id == Id);
        if (Run is null)
        {
            return NotFound();
        }

        Units = await runs.ListUnitsAsync(Id, ct);
        return Page();
    }
}
