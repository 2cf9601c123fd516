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

    /// <summary>The cycles to choose from: the schedule's, and every cycle a recent run read (so a county year outside the schedule is there too), newest first.</summary>
    public IReadOnlyList<EvaluationCycle> Cycles => new[] { navigation.SchoolCycle, navigation.CountyCycle }
        .Concat(Runs.SelectMany(r => r.Cycle?.Split('+') ?? []).Select(TryParse).OfType<EvaluationCycle>())
        .Distinct().OrderByDescending(c => c.Year).ThenBy(c => c.Rubric).ToArray();

    /// <summary>Why a run cannot start from this host, before anyone tries: no upstream is configured.</summary>
    public string? CannotStart => registry.All.Count == 0
        ? "本服务尚未配置数据源（宁夏教育云、教育信息化工作进展系统），不能发起采集：请在配置中填写 Connectors:CloudPlatform 或 Connectors:Progress 后重启服务"
        : null;

    private static EvaluationCycle? TryParse(string text)
    {
        try
        {
            return EvaluationCycle.Parse(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

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
