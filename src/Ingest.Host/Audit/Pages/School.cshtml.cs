using Ingest.Application.Claims;
using Ingest.Application.People;
using Ingest.Application.UseCases;
using Ingest.Core.Periods;
using Ingest.Data.Claims;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Audit.Pages;

/// <summary>
/// One school's claims drilled down: each compared claim with every fact its data score was computed from (each leading
/// to its history and the upstream's raw answer), the imports that held its claims, and the report's moment and runs.
/// </summary>
[Allow(Roles.Department, Roles.Bureau, Roles.School, Roles.Auditor, Org = OrgFrom.Route, Key = "org")]
public sealed class SchoolModel(ClaimsReportService reports, ClaimStore store, AccessRules rules) : PageModel
{
    [FromRoute]
    public string Cycle { get; set; } = string.Empty;

    [FromRoute]
    public string Org { get; set; } = string.Empty;

    [FromQuery]
    public string? AsOf { get; set; }

    [FromQuery]
    public string? Run { get; set; }

    public SchoolClaimsAudit? Audit { get; private set; }

    public IReadOnlyList<(long Id, string FileName, string ImportedBy, DateTimeOffset At)> Imports { get; private set; } = [];

    public string? Problem { get; private set; }

    /// <summary>Whether the caller may follow a figure to its history and raw answer (ops and auditors).</summary>
    public bool MayTrace { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        EvaluationCycle cycle;
        try
        {
            cycle = EvaluationCycle.Parse(Cycle);
        }
        catch (FormatException)
        {
            return NotFound();
        }

        var caller = HttpCaller.Of(HttpContext);
        if (ReportMoment.Parse(AsOf, Run) is not { } moment)
        {
            if (!(await rules.SheetAsync(caller, Org, ct)).Read)
            {
                return Forbid();
            }

            Imports = await store.HistoryAsync(Cycle, Org, ct);
            Problem = "“截至时间”须为时间（例如 2026-11-30 08:00，北京时间），“截至采集批次”须为批次编号，两者只能填一个";
            return Page();
        }

        var audit = await reports.SchoolAsync(caller, Org, cycle, moment, ct);
        if (audit.Refusal is { Kind: RefusalKind.Forbidden })
        {
            return Forbid();
        }

        MayTrace = caller.Role is Roles.Auditor;
        Imports = await store.HistoryAsync(Cycle, Org, ct);
        Audit = audit.IsDone ? audit.Value : null;
        Problem = audit.Refusal?.Message;
        return Page();
    }
}
