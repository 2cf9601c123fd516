using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Documents.Forms;
using Ingest.Host.People;
using Ingest.Scoring.Sheets;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Scoring.Pages;

/// <summary>
/// One scoresheet as a rater works on it: the rubric's areas and items, each line's pre-filled score and evidence, the
/// three columns side by side, and inputs only in the column the signed-in role writes. Every write goes through
/// <see cref="ScoresheetService"/>, the same as the API: a refused entry saves nothing and says why beside its field.
/// </summary>
[Allow(Roles.Department, Roles.Bureau, Roles.School, Roles.Auditor, Org = OrgFrom.Route, Key = "org")]
public sealed class SheetModel(ScoresheetService service, AccessRules rules) : PageModel
{
    [FromRoute]
    public string Cycle { get; set; } = string.Empty;

    [FromRoute]
    public string Org { get; set; } = string.Empty;

    public Scoresheet? Sheet { get; private set; }

    public SheetPermit Permit { get; private set; } = null!;

    /// <summary>Why the sheet cannot be shown (not pre-filled yet, wrong level), instead of the sheet.</summary>
    public string? Problem { get; private set; }

    /// <summary>Errors by target ("16/library"), or "stars" / "import", shown beside the field.</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>What was typed into a refused form, by target and field, so the person corrects rather than retypes.</summary>
    public Dictionary<string, string?> Typed { get; } = new(StringComparer.Ordinal);

    /// <summary>The rows of a refused workbook, or what an accepted one changed.</summary>
    public FormImportException? ImportRefused { get; private set; }

    public string? Notice { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? saved, int? logged, int? unchanged, CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } refused)
        {
            return refused;
        }

        Notice = saved switch
        {
            null => null,
            "stars" => "申报星级已保存",
            "import" => $"填报表已导入：录入 {logged ?? 0} 项，{unchanged ?? 0} 项与表中原值相同",
            _ => $"指标 {saved} 已保存",
        };
        return Page();
    }

    public async Task<IActionResult> OnPostEntryAsync(string target, string? score, string? flag, string? reason, bool withdraw, CancellationToken ct)
    {
        // Read by hand: a dictionary parameter would fall back to binding every field of the form as a count.
        var counts = Request.Form.Keys.Where(k => k.StartsWith("counts[", StringComparison.Ordinal) && k.EndsWith(']'))
            .ToDictionary(k => k["counts[".Length..^1], k => Request.Form[k].ToString(), StringComparer.Ordinal);
        if (await LoadAsync(ct) is { } refused)
        {
            return refused;
        }

        if (Permit.Write is not { } column)
        {
            return Forbid();
        }

        if (string.IsNullOrWhiteSpace(target))
        {
            Errors[string.Empty] = "未指明要保存的指标：请在评分表中该指标的一行填写并保存";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Typed[target + ":score"] = score;
        Typed[target + ":flag"] = flag;
        Typed[target + ":reason"] = reason;
        foreach (var (key, value) in counts ?? [])
        {
            Typed[target + ":count:" + key] = value;
        }

        try
        {
            var value = withdraw ? EntryValue.Withdrawal(reason ?? string.Empty) : ValueOf(target, score, flag, reason, counts);
            await service.EnterAsync(Org, Sheet!.Cycle, target, column, value, HttpCaller.Of(HttpContext).Actor, ct);
        }
        catch (Exception e) when (e is ScoresheetException or FormatException)
        {
            Errors[target] = e.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        return Redirect($"/sheets/{Cycle}/{Org}?saved={Uri.EscapeDataString(target)}#t-{Anchor(target)}");
    }

    public async Task<IActionResult> OnPostStarsAsync(string? stars, CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } refused)
        {
            return refused;
        }

        if (Permit.Write != Column.Self)
        {
            return Forbid();
        }

        int? level = string.IsNullOrEmpty(stars) ? null : int.TryParse(stars, out var n) && AppliedStars.Accepts(n) ? n : -1;
        if (level == -1)
        {
            Errors["stars"] = $"申报星级“{stars}”无法识别：请选择一星级到五星级，或“未申报”";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await service.SetAppliedStarsAsync(Org, Sheet!.Cycle, level, HttpCaller.Of(HttpContext).Actor, ct);
        return Redirect($"/sheets/{Cycle}/{Org}?saved=stars");
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } refused)
        {
            return refused;
        }

        if (Permit.Write is not { } column)
        {
            return Forbid();
        }

        if (file is null)
        {
            Errors["import"] = "请选择要导入的填报表（.xlsx）";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        try
        {
            await using var stream = file.OpenReadStream();
            var outcome = await service.ImportAsync(stream, file.FileName, HttpCaller.Of(HttpContext).Actor, (Org, Sheet!.Cycle), column, ct);
            return Redirect($"/sheets/{Cycle}/{Org}?saved=import&logged={outcome.Logged}&unchanged={outcome.Unchanged}");
        }
        catch (FormImportException e)
        {
            ImportRefused = e;
        }
        catch (ScoresheetException e)
        {
            Errors["import"] = e.Message;
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    /// <summary>An id-safe form of a target for anchors and field ids: 16/library → 16-library.</summary>
    public static string Anchor(string target) => target.Replace('/', '-').Replace('.', '_');

    /// <summary>The column the caller writes, or null.</summary>
    public Column? Writable => Permit.Write;

    public IEnumerable<EntryLog> History(string target) => Sheet!.Entries.Where(e => e.Entry.Target == target).OrderByDescending(e => e.Id);

    private static EntryValue ValueOf(string target, string? score, string? flag, string? reason, Dictionary<string, string>? counts)
    {
        var field = RaterText.ItemName(target) + "：";
        if (counts is { Count: > 0 })
        {
            return new EntryValue(null, counts.ToDictionary(c => c.Key, c => RaterText.ParseCount(string.IsNullOrWhiteSpace(c.Value) ? "0" : c.Value, field + "次数")), null, reason);
        }

        if (!string.IsNullOrWhiteSpace(flag))
        {
            return new EntryValue(null, null, RaterText.ParseFlag(flag, field + "是否"), reason);
        }

        return string.IsNullOrWhiteSpace(score)
            ? throw new FormatException(field + "请填写得分")
            : new EntryValue(RaterText.ParseScore(score, field + "得分"), null, null, reason);
    }

    /// <summary>Loads the sheet the caller may see; a refusal (403, 404) as the result, or null when it is loaded.</summary>
    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        EvaluationCycle cycle;
        try
        {
            cycle = EvaluationCycle.Parse(Cycle);
        }
        catch (FormatException e)
        {
            return NotFoundPage(e.Message);
        }

        Permit = await rules.SheetAsync(HttpCaller.Of(HttpContext), Org, ct);
        if (!Permit.Read)
        {
            return Forbid();
        }

        try
        {
            Sheet = await service.GetAsync(Org, cycle, Permit.MayBuild ? HttpCaller.Of(HttpContext).Actor : null, ct);
        }
        catch (ScoresheetNotFoundException e)
        {
            return NotFoundPage(e.Message);
        }
        catch (ScoresheetException e)
        {
            return NotFoundPage(e.Message);
        }

        return null;
    }

    private PageResult NotFoundPage(string message)
    {
        Problem = message;
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }

    public bool IsSchoolCycle => Sheet?.Rubric.Kind == RubricKind.School;
}
