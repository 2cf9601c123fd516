using Ingest.Application.Ingestion;
using Ingest.Application.People;
using Ingest.Core.Periods;
using Ingest.Data.Runs;
using Ingest.Host.People;
using Ingest.Host.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Operations.Pages;

/// <summary>The runs, newest first, with their per-stream counts; and the form that starts one (ops only).</summary>
[Allow(Roles.Ops, Roles.Auditor)]
public sealed class RunsModel(RunReader runs, RunStarter starter, ConnectorRegistry registry, Navigation navigation) : PageModel
{
    public IReadOnlyList<RunSummary> Runs { get; private set; } = [];

    public IReadOnlyList<string> Connectors => registry.All.Select(c => c.Name).ToArray();

    public IReadOnlyList<string> Cycles => [navigation.SchoolCycle.ToString(), navigation.CountyCycle.ToString()];

    [BindProperty]
    public string? Cycle { get; set; }

    [BindProperty]
    public string? Period { get; set; }

    [BindProperty]
    public string? Counties { get; set; }

    [BindProperty]
    public List<string> Chosen { get; set; } = [];

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public bool MayStart => User.IsInRole(Roles.Ops);

    /// <summary>The county a county's auditor sees; null: every county.</summary>
    public string? County => AccessRules.RunCounty(HttpCaller.Of(HttpContext));

    public async Task OnGetAsync(CancellationToken ct) => Runs = await runs.ListRunsAsync(50, County, ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!MayStart)
        {
            return Forbid();
        }

        EvaluationCycle? cycle = null;
        Period? period = null;
        if (string.IsNullOrWhiteSpace(Cycle) == string.IsNullOrWhiteSpace(Period))
        {
            Errors["cycle"] = "请选择评定周期，或填写一个期间（二者选一）";
        }
        else
        {
            try
            {
                cycle = string.IsNullOrWhiteSpace(Cycle) ? null : EvaluationCycle.Parse(Cycle.Trim());
            }
            catch (FormatException e)
            {
                Errors["cycle"] = e.Message;
            }

            try
            {
                period = string.IsNullOrWhiteSpace(Period) ? null : Core.Periods.Period.Parse(Period.Trim());
            }
            catch (FormatException e)
            {
                Errors["period"] = e.Message;
            }
        }

        var counties = (Counties ?? string.Empty).Split([' ', ',', '，', '、', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (Errors.Count == 0)
        {
            try
            {
                var run = await starter.StartAsync(new IngestionRequest("web", cycle, period, counties, Chosen), HttpCaller.Of(HttpContext).Actor, ct);
                return Redirect($"/ops/runs/{run.RunId}");
            }
            catch (IngestionPlanException e)
            {
                Errors[e.Message.Contains("县（区）", StringComparison.Ordinal) || e.Message.Contains("county", StringComparison.OrdinalIgnoreCase) ? "counties" : "run"] = e.Message;
            }
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        Runs = await runs.ListRunsAsync(50, ct);
        return Page();
    }
}
