using Ingest.Application.Oversight;
using Ingest.Application.People;
using Ingest.Application.UseCases;
using Ingest.Core.Periods;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Audit.Pages;

/// <summary>
/// 评定监督, the region: one line per county saying how far its bureau's ratings went beyond the data, the county furthest
/// beyond first. For the department and auditors (a county's auditor sees its own county).
/// </summary>
[Allow(Roles.Department, Roles.Auditor)]
public sealed class OversightModel(OversightService oversight) : PageModel
{
    [FromRoute]
    public string Cycle { get; set; } = string.Empty;

    public IReadOnlyList<RegionOversightLine> Lines { get; private set; } = [];

    public string Title { get; private set; } = "评定监督";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!EvaluationCycle.TryParse(Cycle, out var cycle))
        {
            return NotFound();
        }

        var outcome = await oversight.RegionAsync(HttpCaller.Of(HttpContext), cycle, ct);
        if (outcome.Refusal is { } no)
        {
            return no.Kind == RefusalKind.Forbidden ? Forbid() : NotFound();
        }

        Lines = outcome.Value;
        Title = $"评定监督 · {Ingest.Scoring.Sheets.RaterText.CycleTitle(cycle)}";
        return Page();
    }
}
