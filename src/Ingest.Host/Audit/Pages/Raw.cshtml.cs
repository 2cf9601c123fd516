using Ingest.Application.Evidence;
using Ingest.Application.People;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Audit.Pages;

/// <summary>One archived upstream answer as text, the lines naming the organisation asked about marked; the bytes to download.</summary>
[Allow(Roles.Ops, Roles.Auditor, Org = OrgFrom.Route, Key = "id")]
public sealed class RawModel(EvidenceService evidence) : PageModel
{
    [FromRoute]
    public long Id { get; set; }

    /// <summary>The organisation whose lines are marked.</summary>
    [FromQuery]
    public string? Mark { get; set; }

    public RawPageText? Text { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Text = await evidence.PageAsync(Id, Mark, HttpCaller.Of(HttpContext), ct);
        return Text is null ? NotFound() : Page();
    }
}
