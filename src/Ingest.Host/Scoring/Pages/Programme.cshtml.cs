using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Core.Periods;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Scoring.Pages;

/// <summary>项目报告: the programme rules of a school star year for a county or the region, from the stored levels.</summary>
[Allow(Roles.Department, Roles.Bureau, Roles.Auditor, Org = OrgFrom.Query, Key = "county")]
public sealed class ProgrammeModel(ProgrammeReportService reports) : PageModel
{
    [FromRoute]
    public string Cycle { get; set; } = string.Empty;

    [FromQuery]
    public string? County { get; set; }

    public ProgrammeReportView? Report { get; private set; }

    public string? Problem { get; private set; }

    /// <summary>What the report covers, in words: 2024年度学校星级评定 · 泾源县 (or 全区).</summary>
    public string Heading { get; private set; } = "项目报告";

    /// <summary>The cycle's year, for the links to 认定与授牌.</summary>
    public int Year { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        EvaluationCycle cycle;
        try
        {
            cycle = EvaluationCycle.Parse(Cycle);
        }
        catch (FormatException e)
        {
            Problem = e.Message;
            return Page();
        }

        var report = await reports.BuildAsync(HttpCaller.Of(HttpContext), cycle, County, ct);
        if (report.Refusal is { } no)
        {
            if (no.Kind == Ingest.Application.UseCases.RefusalKind.Forbidden)
            {
                return Forbid();
            }

            Problem = no.Message;
            return Page();
        }

        Report = report.Value;
        Year = cycle.Year;
        Heading = $"项目报告 · {Ingest.Scoring.Sheets.RaterText.CycleTitle(cycle)} · {Report.Scope}";
        return Page();
    }
}
