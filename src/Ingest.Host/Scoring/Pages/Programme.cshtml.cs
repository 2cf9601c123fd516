using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Core.Periods;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Scoring.Pages;

/// <summary>项目报告: the programme rules of a school star year for a county or the region, from the stored levels.</summary>
[Allow(Roles.Department, Roles.Bureau, Roles.Auditor, Org = OrgFrom.Query, Key = "county")]
public sealed class ProgrammeModel(ProgrammeReportService reports, AccessRules rules, Ingest.Data.Organisations.OrganisationStore organisations) : PageModel
{
    [FromRoute]
    public string Cycle { get; set; } = string.Empty;

    [FromQuery]
    public string? County { get; set; }

    public ProgrammeReportView? Report { get; private set; }

    public string? Problem { get; private set; }

    /// <summary>What the report covers, in words: 2024年度学校星级评定 · 泾源县 (or 全区).</summary>
    public string Heading { get; private set; } = "项目报告";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var (scope, refusal) = await rules.ProgrammeScopeAsync(HttpCaller.Of(HttpContext), County, ct);
        if (refusal is not null)
        {
            return Forbid();
        }

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

        if (cycle.Rubric != RubricKind.School)
        {
            Problem = $"项目规则针对学校星级；{cycle} 不是学校评定周期";
            return Page();
        }

        County = scope;
        var where = scope is null ? "全区" : (await organisations.FindAsync(scope, ct))?.Name ?? scope;
        Heading = $"项目报告 · {Ingest.Scoring.Sheets.RaterText.CycleTitle(cycle)} · {where}";
        Report = await reports.BuildAsync(cycle, scope, ct);
        return Page();
    }
}
