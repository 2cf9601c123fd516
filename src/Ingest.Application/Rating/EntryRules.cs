using Ingest.Application.UseCases;
using Ingest.Core.Sheets;
using Ingest.Data.Audit;
using Ingest.Data.Scoresheets;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;

namespace Ingest.Application.Rating;

/// <summary>What recording entries did: the sheet after, entries logged, and entries skipped because the target already held the value.</summary>
public sealed record EntryOutcome(Scoresheet Sheet, int Logged, int Unchanged);

/// <summary>
/// Whether entries are taken, decided on the sheet as it stands under its row lock. Each entry is checked against the
/// rubric (within the points in 0.5 steps, the item's own counts, a reason to change an auto score or to withdraw);
/// an entry that gives the value its target already holds in the column is skipped, and a withdrawal of a target
/// without an entry is refused. All or none: one refusal and nothing is recorded, every reason named.
/// </summary>
public static class EntryRules
{
    /// <exception cref="EntriesRefusedException">An entry cannot be taken; each is named.</exception>
    public static EntryBatch Decide(LockedSheet sheet, Column column, IReadOnlyList<(string Target, EntryValue Value)> changes, Actor by, ImportSource? import,
        StarItemReading reading = StarItemReading.FullPoints)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(by);
        if (string.IsNullOrWhiteSpace(by.Name))
        {
            throw new EntriesRefusedException([new FieldError("by", "录入须署名：缺少录入人姓名")]);
        }

        if (sheet.Frozen is { } frozen && frozen.Contains(column))
        {
            throw new SheetFrozenException($"{sheet.OrgCode} 的{RaterText.ColumnTitle(column)}栏已备案（定稿），不能再录入；如需修改，请教育厅重新开放并说明理由");
        }

        var rubric = RubricLibrary.Get(sheet.RubricId);
        var entries = sheet.Entries.Select(e => e.Entry).ToList();
        var pending = new List<EntryToLog>();
        var errors = new List<FieldError>();
        var unchanged = 0;
        foreach (var (target, value) in changes)
        {
            var scoreTarget = rubric.FindTarget(target);
            if (scoreTarget is null)
            {
                errors.Add(new FieldError(target, rubric.Find(target) is { Rule: PartsRule parts }
                    ? $"指标 {target} 分为几部分，请分别填写：{string.Join("、", parts.Parts.Select(p => target + "/" + p.Key))}"
                    : $"评分标准 {rubric.Id} 没有指标 {target}"));
                continue;
            }

            var outcome = sheet.Auto.GetValueOrDefault(target);
            if (SheetScorer.Validate(scoreTarget, value, outcome, column) is { } error)
            {
                errors.Add(new FieldError(target, error));
                continue;
            }

            var current = SheetScorer.Latest(entries, column).GetValueOrDefault(target);
            if (value.IsWithdrawal && current is null)
            {
                errors.Add(new FieldError(target, $"{RaterText.ItemName(target)}：{RaterText.ColumnTitle(column)}栏没有可撤回的录入"));
                continue;
            }

            if (value.SameValueAs(current?.Value))
            {
                unchanged++;
                continue;
            }

            // Entries of one call share a moment; the tick keeps their order for "the latest wins".
            var entry = new Entry(target, column, value with { Reason = string.IsNullOrWhiteSpace(value.Reason) ? null : value.Reason.Trim() },
                import?.SignedAs ?? by.Name.Trim(), sheet.Now.AddTicks(pending.Count));
            var before = TargetScore(rubric, sheet.Auto, column, entries, scoreTarget);
            entries.Add(entry);
            pending.Add(new EntryToLog(entry, current?.Value, before, TargetScore(rubric, sheet.Auto, column, entries, scoreTarget), outcome?.Score));
        }

        if (errors.Count > 0)
        {
            throw new EntriesRefusedException(errors);
        }

        return new EntryBatch(pending, unchanged, pending.Count == 0 ? [] : SheetColumns.Totals(SheetColumns.Score(rubric, sheet.Auto, entries, reading), entries));
    }

    private static decimal? TargetScore(Rubric rubric, IReadOnlyDictionary<string, AutoOutcome> auto, Column column, IEnumerable<Entry> entries, ScoreTarget target) =>
        SheetScorer.Score(rubric, auto, column, entries).Items.Single(i => i.Item.Number == target.ItemNumber).Targets.Single(t => t.Target.Key == target.Key).Score;
}

/// <summary>The column written is frozen by 备案: nothing is recorded, and the use case answers a conflict (409) with the reason.</summary>
public sealed class SheetFrozenException(string message) : ScoresheetException(message);

/// <summary>
/// Entries that cannot be taken, each named by its target. Thrown under the sheet's row lock so that nothing is recorded;
/// the use case answers it as an invalid outcome.
/// </summary>
public sealed class EntriesRefusedException(IReadOnlyList<FieldError> errors) : ScoresheetException(string.Join("；", errors.Select(e => e.Message)))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}
