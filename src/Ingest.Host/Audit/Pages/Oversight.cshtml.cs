using Ingest.Application.Oversight;
using Ingest.Application.People;
using Ingest.Application.UseCases;
using Ingest.Core.Periods;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Audit.Pages;

/// <summary>
/// 评定监督, the region: the department's table of 第十五条 and 第十三条, one line per county (how far its bureau went beyond
/// the data, its 4★ pass rate, its spot checks, its share of ≥ 4★ schools, the conditions it meets and the decision), the
/// counties meeting a condition first. For the department and auditors (a county's auditor sees its own county).
/// </summary>
[Allow(Roles.Department, Roles.Auditor)]
public sealed class OversightModel(OversightService oversight) : PageModel
{
    [FromRoute]
    public string Cycle { get; set; } = string.Empty;

    public CountyTable Table { get; private set; } = null!;

    public string Title { get; private set; } = "评定监督";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!EvaluationCycle.TryParse(Cycle, out var cycle))
        {
            return NotFound();
        }

        var outcome = await oversight.TableAsync(HttpCaller.Of(HttpContext), cycle, ct);
        if (outcome.Refusal is { } no)
        {
            return no.Kind == RefusalKind.Forbidden ? Forbid() : NotFound();
        }

        Table = outcome.Value;
        Title = $"评定监督 · {Ingest.Scoring.Sheets.RaterText.CycleTitle(cycle)}";
        return Page();
    }
}
