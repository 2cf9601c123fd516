using Ingest.Application.Rating;
using Ingest.Core.Sheets;
using Ingest.Documents.Forms;
using Ingest.Host.People;
using Ingest.Scoring.Sheets;
using Microsoft.AspNetCore.Mvc;

namespace Ingest.Host.Scoring.Pages;

public sealed partial class SheetModel
{
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
