using Ingest.Application.Operations;
using Ingest.Application.People;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Operations.Pages;

/// <summary>For every connector × county, the last night it succeeded and how old that is; stale beyond the configured age.</summary>
[Allow(Roles.Ops)]
public sealed class FreshnessModel(StatusService status) : PageModel
{
    public OperationsStatus Status { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => Status = await status.StatusAsync(ct);
}
