using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Application.UseCases;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Data.Organisations;
using Ingest.Data.Scoresheets;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Scoring.Pages;

/// <summary>
/// A county at a glance: every school of the directory with its three column totals, levels, 申报星级, what waits and
/// what cannot be computed, sortable and filterable; the county's own 100-point sheet beside it.
/// </summary>
[Allow(Roles.Department, Roles.Bureau, Roles.Auditor, Org = OrgFrom.Route, Key = "county")]
public sealed class CountyModel(ScoresheetReader store, ScoresheetService service, OrganisationStore organisations, AccessRules rules, Web.Navigation navigation,
    Ingest.Application.Year.LevelService levels)
    : PageModel
{
    [FromRoute]
    public string County { get; set; } = string.Empty;

    [FromRoute]
    public string Cycle { get; set; } = string.Empty;

    public Organisation? CountyOrg { get; private set; }

    public EvaluationCycle? Parsed { get; private set; }

    /// <summary>Every school of the county (closed ones left out), with its sheet's summary when it has one.</summary>
    public IReadOnlyList<(Organisation School, ScoresheetSummary? Sheet)> Schools { get; private set; } = [];

    /// <summary>The county's own sheet in the county cycle being rated, when it has one.</summary>
    public ScoresheetSummary? CountySheet { get; private set; }

    /// <summary>The county cycle being rated (the schedule's), whose sheet stands beside the schools'.</summary>
    public EvaluationCycle CountyCycle => navigation.CountyCycle;

    public SheetPermit Permit { get; private set; } = null!;

    public string? Problem { get; private set; }

    /// <summary>Deadlines of the year (第十一条) passed with this county's work still waiting.</summary>
    public IReadOnlyList<Ingest.Application.Year.StageWarning> Late { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ?? Page();

    /// <summary>Pre-fills every school's sheet (a writer only): the same as <c>POST /api/counties/{county}/scoresheets/{cycle}</c>.</summary>
    public async Task<IActionResult> OnPostPrefillAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } refused)
        {
            return refused;
        }

        var built = await service.BuildCountyAsync(HttpCaller.Of(HttpContext), County, Parsed!, ct);
        if (built.Refusal is { } refusal)
        {
            if (refusal.Kind == RefusalKind.Forbidden)
            {
                return Forbid();
            }

            Problem = refusal.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        return Redirect($"/counties/{County}/{Cycle}");
    }

    /// <summary>Why 备案 or reopening was refused, with each school that waits.</summary>
    public Refusal? StageRefused { get; private set; }

    /// <summary>Whether every school sheet of the county is finalised (备案).</summary>
    public bool Finalised => Schools.Any(s => s.Sheet is not null) && Schools.Where(s => s.Sheet is not null).All(s => s.Sheet!.Finalised);

    /// <summary>备案: the bureau finalises its county's sheets (<see cref="ScoresheetService.FinaliseCountyAsync"/>).</summary>
    public async Task<IActionResult> OnPostFinaliseAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } refused)
        {
            return refused;
        }

        return await StageAsync(await service.FinaliseCountyAsync(HttpCaller.Of(HttpContext), County, Parsed!, ct), ct);
    }

    /// <summary>The department reopens the finalised county, with a reason.</summary>
    public async Task<IActionResult> OnPostReopenAsync(string? reason, CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } refused)
        {
            return refused;
        }

        return await StageAsync(await service.ReopenAsync(HttpCaller.Of(HttpContext), County, Parsed!, reason, ct), ct);
    }

    private async Task<IActionResult> StageAsync(Outcome<StageOutcome> outcome, CancellationToken ct)
    {
        switch (outcome.Refusal)
        {
            case null:
                return Redirect($"/counties/{County}/{Cycle}");
            case { Kind: RefusalKind.Forbidden }:
                return Forbid();
            case { } refusal:
                StageRefused = refusal;
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return await LoadAsync(ct) ?? Page();
        }
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        try
        {
            Parsed = EvaluationCycle.Parse(Cycle);
        }
        catch (FormatException e)
        {
            Problem = e.Message;
            return NotFound();
        }

        Permit = await rules.SheetAsync(HttpCaller.Of(HttpContext), County, ct);
        if (!Permit.Read)
        {
            return Forbid();
        }

        CountyOrg = await organisations.FindAsync(County, ct);
        if (CountyOrg is not { Level: OrgLevel.County })
        {
            Problem = $"机构目录中没有县（区）{County}";
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        var sheets = (await store.ListAsync(Parsed.Rubric == RubricKind.School ? Parsed : Parsed with { Rubric = RubricKind.School }, County, ct))
            .ToDictionary(s => s.OrgCode, StringComparer.Ordinal);
        Schools = (await organisations.ListSchoolsAsync(County, ct)).Where(s => s.Active).Select(s => (s, sheets.GetValueOrDefault(s.Code))).ToArray();
        CountySheet = (await store.ListAsync(CountyCycle, County, ct)).FirstOrDefault(s => s.OrgCode == County);
        if (Parsed.Rubric == RubricKind.School && (await levels.ProgressAsync(HttpCaller.Of(HttpContext), Parsed.Year, County, ct)) is { IsDone: true } progress)
        {
            Late = progress.Value.Warnings;
        }

        return null;
    }
}
