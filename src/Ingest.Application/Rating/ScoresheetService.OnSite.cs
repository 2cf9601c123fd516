using Ingest.Application.People;
using Ingest.Application.UseCases;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Scoring.Sheets;

namespace Ingest.Application.Rating;

public sealed partial class ScoresheetService
{
    /// <summary>The reason the entry log records for a line confirmed on site.</summary>
    public const string OnSiteConfirmed = "现场确认";

    /// <summary>
    /// Confirms pre-filled lines whose data covers only part of their item (待现场确认) in the caller's column: each keeps its
    /// pre-filled score, recorded as an entry signed by the caller with the reason 现场确认, so the level stops being
    /// provisional on their account. <paramref name="target"/>: one line; null: every such line of the sheet. A line
    /// already confirmed or entered is left as it is. The column is the caller's own; one named must be it (the command
    /// line names any).
    /// </summary>
    public async Task<Outcome<EntryOutcome>> ConfirmOnSiteAsync(Caller caller, string orgCode, EvaluationCycle cycle, string? target, CancellationToken ct,
        Column? column = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        const string title = "现场确认未保存";
        var written = AccessRules.ColumnFor(caller, await access.SheetAsync(caller, orgCode, ct), column);
        if (written.Refusal is { } refused)
        {
            return refused;
        }

        var opened = await OpenAsync(orgCode, cycle, caller.Actor, ct);
        if (opened.Refusal is { } missing)
        {
            return missing;
        }

        var sheet = opened.Value;
        var waiting = sheet.Column(written.Value).Items.SelectMany(i => i.Targets).Where(t => t.Status == LineStatus.Unconfirmed).ToArray();
        if (target is not null && !waiting.Any(t => t.Target.Key == target))
        {
            var line = sheet.Column(written.Value).Items.SelectMany(i => i.Targets).FirstOrDefault(t => t.Target.Key == target);
            return Refusal.Invalid(title, "target", line is null
                ? $"评分表没有{RaterText.ItemName(target)}"
                : $"{RaterText.ItemName(target)}在{RaterText.ColumnTitle(written.Value)}栏不是待现场确认的项（{LineText.Status(line)}）");
        }

        var changes = waiting.Where(t => target is null || t.Target.Key == target)
            .Select(t => (t.Target.Key, new EntryValue(t.Score, null, null, OnSiteConfirmed))).ToArray();
        if (changes.Length == 0)
        {
            return new EntryOutcome(sheet, 0, 0);
        }

        try
        {
            return await ApplyAsync(orgCode, cycle, written.Value, changes, caller.Actor, null, ct);
        }
        catch (SheetFrozenException e)
        {
            return Refusal.Conflict("已备案", e.Message);
        }
        catch (EntriesRefusedException e)
        {
            return Refusal.Invalid(title, e.Message, e.Errors);
        }
    }
}
