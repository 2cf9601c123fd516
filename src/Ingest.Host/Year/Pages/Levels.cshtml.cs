using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Application.UseCases;
using Ingest.Application.Year;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Data.Organisations;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Year.Pages;

/// <summary>
/// 认定与授牌: the rating year after 备案. A bureau forwards its 申报四星级 and awards its 二、三星级; the department
/// decides and awards the forwarded applications and the 厅直属 schools, acts on 第十四条's list and imports earlier
/// levels; an auditor reads. Every rule is <see cref="LevelService"/>'s.
/// </summary>
[Allow(Roles.Department, Roles.Bureau, Roles.Auditor, Org = OrgFrom.Query, Key = "county")]
public sealed class LevelsModel(LevelService levels, ProgrammeReportService programme, OrganisationStore organisations) : PageModel
{
    [FromRoute]
    public int Year { get; set; }

    [FromQuery]
    public string? County { get; set; }

    public IReadOnlyList<SchoolDecision> Schools { get; private set; } = [];

    public IReadOnlyList<DemotionView> Demotions { get; private set; } = [];

    /// <summary>The year's stages with their deadlines, and what waits past one.</summary>
    public YearProgress? Progress { get; private set; }

    public IReadOnlyDictionary<string, string> CountyNames { get; private set; } = new Dictionary<string, string>();

    public string? Notice { get; private set; }

    public Refusal? Refused { get; private set; }

    /// <summary>Schools passed over by a 授牌 that went through, with the reason.</summary>
    public IReadOnlyList<string> Skipped { get; private set; } = [];

    public string Role => HttpCaller.Of(HttpContext).Role;

    /// <summary>The department looking at the whole region: only what it decides itself is listed.</summary>
    public bool RegionWide => Role != Roles.Bureau && County is null;

    public async Task<IActionResult> OnGetAsync(string? saved, CancellationToken ct)
    {
        Notice = saved switch
        {
            "forward" => "已报送教育厅",
            "change" => "星级已调整",
            "import" => "既有星级已导入",
            _ => null,
        };
        return await LoadAsync(ct) ?? Page();
    }

    public async Task<IActionResult> OnPostForwardAsync(string? school, CancellationToken ct)
    {
        var outcome = await levels.ForwardAsync(HttpCaller.Of(HttpContext), Year, school ?? string.Empty, ct);
        return outcome.Refusal is { } no ? await AgainAsync(no, ct) : Redirect(Here("forward"));
    }

    public async Task<IActionResult> OnPostAwardAsync(string? decidedOn, string? document, CancellationToken ct)
    {
        var outcome = await levels.AwardAsync(HttpCaller.Of(HttpContext), Year, County, null, decidedOn, document, ct);
        if (outcome.Refusal is { } no)
        {
            return await AgainAsync(no, ct);
        }

        Notice = $"已授牌 {outcome.Value.Awarded.Count} 所：" + string.Join("，", outcome.Value.Awarded.Select(a => $"{a.SchoolName}{LevelText.Of(a.Stars)}"));
        Skipped = outcome.Value.Skipped.Select(s => s.Message).ToArray();
        return await LoadAsync(ct) ?? Page();
    }

    public async Task<IActionResult> OnPostChangeAsync(string? school, string? action, int? stars, string? decidedOn, string? document, string? reason, CancellationToken ct)
    {
        var outcome = await levels.ChangeAsync(HttpCaller.Of(HttpContext), school ?? string.Empty, Year, action, stars, decidedOn, document, reason, ct);
        return outcome.Refusal is { } no ? await AgainAsync(no, ct) : Redirect(Here("change"));
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken ct)
    {
        // No file reads as an empty one: the use case decides who may import before what is wrong with it.
        var buffer = new MemoryStream();
        if (file is not null)
        {
            await using var stream = file.OpenReadStream();
            await stream.CopyToAsync(buffer, ct);
        }

        var outcome = await levels.ImportAsync(HttpCaller.Of(HttpContext), buffer.ToArray(), file?.FileName ?? "既有星级.csv", ct);
        return outcome.Refusal is { } no ? await AgainAsync(no, ct) : Redirect(Here("import"));
    }

    private string Here(string saved) => $"/levels/{Year}?{(County is null ? string.Empty : "county=" + County + "&")}saved={saved}";

    private async Task<IActionResult> AgainAsync(Refusal refusal, CancellationToken ct)
    {
        if (refusal.Kind == RefusalKind.Forbidden)
        {
            return Forbid();
        }

        Refused = refusal;
        Response.StatusCode = refusal.Kind == RefusalKind.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
        return await LoadAsync(ct) ?? Page();
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        var caller = HttpCaller.Of(HttpContext);
        var list = await levels.DecisionsAsync(caller, Year, County, ct);
        if (list.Refusal is not null)
        {
            return Forbid();
        }

        Schools = RegionWide ? list.Value.Where(d => d.ByDepartment).ToArray() : list.Value;
        Progress = (await levels.ProgressAsync(caller, Year, County, ct)).Value;
        Demotions = (await programme.BuildAsync(caller, new EvaluationCycle(RubricKind.School, Year), County, ct)).Value.Demotions;
        CountyNames = (await organisations.ListCountiesAsync(ct)).ToDictionary(c => c.Code, c => c.Name, StringComparer.Ordinal);
        return null;
    }
}
