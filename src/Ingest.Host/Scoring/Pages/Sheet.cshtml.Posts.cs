using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Application.UseCases;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Host.People;
using Ingest.Scoring.Sheets;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Scoring.Pages;

public sealed partial class SheetModel
{
    public async Task<IActionResult> OnPostEntryAsync(string target, string? score, string? flag, string? reason, bool withdraw, bool confirm, CancellationToken ct)
    {
        // Read by hand: a dictionary parameter would fall back to binding every field of the form as a count.
        var counts = Request.Form.Keys.Where(k => k.StartsWith("counts[", StringComparison.Ordinal) && k.EndsWith(']'))
            .ToDictionary(k => k["counts[".Length..^1], k => Request.Form[k].ToString(), StringComparer.Ordinal);
        if (await LoadAsync(ct) is { } refused)
        {
            return refused;
        }

        if (!WritesAColumn)
        {
            return Forbid();
        }

        if (string.IsNullOrWhiteSpace(target))
        {
            return Refused(string.Empty, "未指明要保存的指标：请在评分表中该指标的一行填写并保存");
        }

        Typed[target + ":score"] = score;
        Typed[target + ":flag"] = flag;
        Typed[target + ":reason"] = reason;
        foreach (var (key, typed) in counts ?? [])
        {
            Typed[target + ":count:" + key] = typed;
        }

        if (confirm)
        {
            var confirmed = await service.ConfirmOnSiteAsync(HttpCaller.Of(HttpContext), Org, Sheet!.Cycle, target, ct);
            return confirmed.Refusal switch
            {
                { Kind: RefusalKind.Forbidden } => Forbid(),
                { } no => Refused(target, no.Message),
                null => InPlace ? await LineAsync(target, ct) : Redirect($"/sheets/{Cycle}/{Org}?saved={Uri.EscapeDataString(target)}#t-{Anchor(target)}"),
            };
        }

        EntryValue value;
        try
        {
            value = withdraw ? EntryValue.Withdrawal(reason ?? string.Empty) : ValueOf(target, score, flag, reason, counts);
        }
        catch (FormatException e)
        {
            return Refused(target, e.Message);
        }

        var outcome = await service.EnterAsync(HttpCaller.Of(HttpContext), Org, Sheet!.Cycle, target, column: null, value, ct);
        if (outcome.Refusal is { } refusal)
        {
            return refusal.Kind == RefusalKind.Forbidden ? Forbid() : Refused(target, refusal.Message);
        }

        return InPlace ? await LineAsync(target, ct) : Redirect($"/sheets/{Cycle}/{Org}?saved={Uri.EscapeDataString(target)}#t-{Anchor(target)}");
    }

    /// <summary>Pre-fills a sheet that has none yet, from the current facts (the page offers it instead of writing on GET).</summary>
    public async Task<IActionResult> OnPostPrefillAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } refused && !NotPrefilled)
        {
            return refused;
        }

        return Answer(await service.BuildAsync(HttpCaller.Of(HttpContext), Org, EvaluationCycle.Parse(Cycle), ct), "prefill", field: string.Empty);
    }

    /// <summary>Confirms every line of the caller's column that waits for an on-site check (待现场确认), each at its pre-filled score.</summary>
    public async Task<IActionResult> OnPostConfirmAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } refused)
        {
            return refused;
        }

        var outcome = await service.ConfirmOnSiteAsync(HttpCaller.Of(HttpContext), Org, Sheet!.Cycle, target: null, ct);
        return outcome.Refusal is null ? Redirect($"/sheets/{Cycle}/{Org}?saved=confirm&logged={outcome.Value.Logged}") : Answer(outcome, "confirm");
    }

    /// <summary>Sets 联系人 and 联系方式 as the 星级认定表 prints them: the school, its bureau or the department.</summary>
    public async Task<IActionResult> OnPostContactAsync(string? person, string? phone, CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } refused)
        {
            return refused;
        }

        Typed["contact:person"] = person;
        Typed["contact:phone"] = phone;
        return Answer(await service.SetContactAsync(HttpCaller.Of(HttpContext), Org, person, phone, ct), "contact");
    }

    public async Task<IActionResult> OnPostStarsAsync(string? stars, CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } refused)
        {
            return refused;
        }

        return Answer(await service.SetAppliedStarsAsync(HttpCaller.Of(HttpContext), Org, Sheet!.Cycle, stars, ct), "stars");
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } refused)
        {
            return refused;
        }

        if (!WritesAColumn)
        {
            return Forbid();
        }

        if (file is null)
        {
            return Refused("import", "请选择要导入的填报表（.xlsx）");
        }

        await using var stream = file.OpenReadStream();
        var outcome = await service.ImportAsync(HttpCaller.Of(HttpContext), stream, file.FileName, (Org, Sheet!.Cycle), ct);
        if (outcome.IsDone)
        {
            return Redirect($"/sheets/{Cycle}/{Org}?saved=import&logged={outcome.Value.Logged}&unchanged={outcome.Value.Unchanged}");
        }

        if (outcome.Refusal!.Subject is not null)
        {
            ImportRefused = outcome.Refusal;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        return Refused("import", outcome.Refusal.Message);
    }

    /// <summary>
    /// A form's answer from its use case: the page again with what was saved (<paramref name="saved"/>), or refused (403),
    /// or the page with the refusal beside the form's field (<paramref name="field"/>, else <paramref name="saved"/>).
    /// </summary>
    private IActionResult Answer<T>(Outcome<T> outcome, string saved, string? field = null) => outcome.Refusal switch
    {
        null => Redirect($"/sheets/{Cycle}/{Org}?saved={saved}"),
        { Kind: RefusalKind.Forbidden } => Forbid(),
        { } refusal => Refused(field ?? saved, refusal.Message),
    };

    /// <summary>Whether the caller writes a column of this sheet, asked before its input is read: a reader is refused whatever it sent.</summary>
    private bool WritesAColumn => AccessRules.ColumnFor(HttpCaller.Of(HttpContext), Permit, null).IsDone;

    /// <summary>
    /// The page again, with <paramref name="message"/> beside the field <paramref name="key"/> and what was typed kept; or,
    /// when sheet.js saves in place, that line alone.
    /// </summary>
    private IActionResult Refused(string key, string message)
    {
        Errors[key] = message;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return InPlace && Sheet?.Rubric.FindTarget(key) is { } target ? Line(target) : Page();
    }

    /// <summary>Whether sheet.js asked for the line alone, to swap it in place (the page without script posts as ever).</summary>
    private bool InPlace => Request.Headers["X-Sheet-Line"] == "1";

    /// <summary>The line saved, read again with the totals it changed.</summary>
    private async Task<IActionResult> LineAsync(string key, CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } refused)
        {
            return refused;
        }

        return Sheet!.Rubric.FindTarget(key) is { } target ? Line(target) : Redirect($"/sheets/{Cycle}/{Org}");
    }

    private PartialViewResult Line(Ingest.Scoring.Rubrics.ScoreTarget target)
    {
        Response.Headers["X-Sheet-Line"] = "1";
        return Partial("_SheetSaved", new SheetLine(this, Sheet!.Rubric.Find(target.ItemNumber)!, target));
    }

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
}
