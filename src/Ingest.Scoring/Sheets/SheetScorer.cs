using System.Globalization;
using Ingest.Core.Sheets;
using Ingest.Scoring.Rubrics;

namespace Ingest.Scoring.Sheets;

/// <summary>Scores a column of a scoresheet from the auto outcomes and the column's entries.</summary>
public static class SheetScorer
{
    /// <summary>
    /// Every target gets the column's latest entry for it, else its auto score, else waits. Areas are capped at their
    /// points; the total adds the areas (bonus areas on top, each capped); the star level follows.
    /// </summary>
    public static ColumnResult Score(Rubric rubric, IReadOnlyDictionary<string, AutoOutcome> auto, Column column, IEnumerable<Entry> entries,
        StarItemReading reading = StarItemReading.FullPoints)
    {
        ArgumentNullException.ThrowIfNull(rubric);
        ArgumentNullException.ThrowIfNull(auto);
        var latest = Latest(entries, column);
        var items = rubric.Items.Select(item =>
        {
            var targets = item.Targets.Select(t => Line(t, auto.GetValueOrDefault(t.Key), latest.GetValueOrDefault(t.Key))).ToArray();
            var status = targets.Any(t => t.Status == LineStatus.Pending) ? LineStatus.Pending
                : targets.Any(t => t.Status == LineStatus.NotComputable) ? LineStatus.NotComputable
                : targets.Any(t => t.Status == LineStatus.Unconfirmed) ? LineStatus.Unconfirmed
                : targets.Any(t => t.Status == LineStatus.Entered) ? LineStatus.Entered
                : LineStatus.Auto;
            return new ItemLine(item, status, targets.Sum(t => t.Score ?? 0), targets);
        }).ToArray();

        var byNumber = items.ToDictionary(i => i.Item.Number, StringComparer.Ordinal);
        var areas = rubric.Areas.Select(area =>
        {
            var lines = area.Items.Select(i => byNumber[i.Number]).ToArray();
            var overriding = lines.FirstOrDefault(l => l.Item.Rule is FlagRule { OverridesArea: true } && l.Score > 0);
            var sum = lines.Where(l => l.Item.Rule is not FlagRule { OverridesArea: true }).Sum(l => l.Score);
            var score = overriding is not null ? area.Points : Math.Min(sum, area.Points);
            return new AreaTotal(area, sum, score, overriding?.Item.Number);
        }).ToArray();

        var total = areas.Sum(a => a.Score);
        var pending = items.SelectMany(i => i.Targets).Count(t => t.Status is LineStatus.Pending or LineStatus.Unconfirmed);
        var notComputable = items.SelectMany(i => i.Targets).Count(t => t.Status == LineStatus.NotComputable);
        var stars = rubric.StarLevels.Count == 0 ? null : Stars(rubric, items, total, pending + notComputable > 0, reading);
        return new ColumnResult(column, items, areas, total, stars, pending, notComputable);
    }

    /// <summary>
    /// The entry in force for each target of <paramref name="column"/>: the latest, unless it is a withdrawal, which
    /// leaves the target without one.
    /// </summary>
    public static Dictionary<string, Entry> Latest(IEnumerable<Entry>? entries, Column column) =>
        (entries ?? []).Where(e => e.Column == column).GroupBy(e => e.Target, StringComparer.Ordinal)
            .Select(g => g.OrderBy(e => e.At).Last()).Where(e => !e.Value.IsWithdrawal)
            .ToDictionary(e => e.Target, StringComparer.Ordinal);

    /// <summary>
    /// The star level of <paramref name="total"/> with the ★ veto over <paramref name="items"/>, each ★ item met as
    /// <paramref name="reading"/> says; with the level the other reading would give.
    /// </summary>
    public static StarResult Stars(Rubric rubric, IReadOnlyList<ItemLine> items, decimal total, bool provisional, StarItemReading reading = StarItemReading.FullPoints)
    {
        ArgumentNullException.ThrowIfNull(rubric);
        ArgumentNullException.ThrowIfNull(items);
        int? byTotal = rubric.StarLevels.FirstOrDefault(l => total >= l.Min)?.Stars;
        var unmet = items.Where(i => i.Item.Veto && !i.Met(reading)).Select(i => i.Item.Number).ToArray();
        var vetoed = byTotal >= rubric.VetoFromStars && unmet.Length > 0;
        var stars = vetoed ? rubric.VetoFromStars - 1 : byTotal;
        var other = reading == StarItemReading.FullPoints ? StarItemReading.AnyPoints : StarItemReading.FullPoints;
        var otherVetoed = byTotal >= rubric.VetoFromStars && items.Any(i => i.Item.Veto && !i.Met(other));
        return new StarResult(stars, byTotal, unmet, vetoed, provisional, otherVetoed ? rubric.VetoFromStars - 1 : byTotal);
    }

    /// <summary>Why <paramref name="score"/> cannot be given to something worth <paramref name="points"/> (outside 0 to the points, or off the 0.5 steps), or null.</summary>
    public static string? ScoreBoundsError(string item, decimal score, decimal points) =>
        score < 0 || score > points || score % 0.5m != 0
            ? $"{item}：得分 {RaterText.Number(score)} 不在 0～{RaterText.Score(points)} 分之间或不是 0.5 分的整数倍"
            : null;

    /// <summary>
    /// Checks an entry for <paramref name="target"/>: a score within the points in 0.5 steps, counts for the counts the
    /// target asks, a flag only for a flag; a score that differs from a computed auto score needs a written reason
    /// (confirming it does not); a withdrawal needs a reason. Null when valid, else one line in Chinese naming the item.
    /// </summary>
    /// <param name="column">
    /// The column written. The 学校自评 column takes a score on any line, as the school's self-assessment (its claims
    /// file) gives it; the raters' columns take counts and 是/否 where the rubric counts or asks.
    /// </param>
    public static string? Validate(ScoreTarget target, EntryValue value, AutoOutcome? auto, Column? column = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(value);
        var item = RaterText.ItemName(target.Key);
        if (value.IsWithdrawal)
        {
            return string.IsNullOrWhiteSpace(value.Reason) ? $"{item}：撤回录入须填写理由" : null;
        }

        var given = (value.Score is null ? 0 : 1) + (value.Counts is null ? 0 : 1) + (value.Flag is null ? 0 : 1);
        if (given != 1)
        {
            return $"{item}：得分、次数、是否只能填一项";
        }

        switch (target.Entry)
        {
            case EntryKind.None or EntryKind.Score when value.Score is { } score:
                if (ScoreBoundsError(item, score, target.Points) is { } bounds)
                {
                    return bounds;
                }

                if (target.IsAuto && auto is { Computable: true } && auto.Score != score && string.IsNullOrWhiteSpace(value.Reason))
                {
                    return $"{item}：自动得分为 {RaterText.Score(auto.Score)}，改写为 {RaterText.Score(score)} 须填写理由";
                }

                return null;
            case EntryKind.Counts when value.Counts is { } counts:
                var known = target.CountSpecs.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
                if (counts.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
                {
                    return $"{item}：没有计数项“{unknown}”，本项的计数项为 {string.Join("、", known)}";
                }

                if (counts.FirstOrDefault(c => c.Value < 0) is { Key: not null } negative)
                {
                    return $"{item}：{negative.Key} 为 {negative.Value.ToString(CultureInfo.InvariantCulture)}，次数不能为负";
                }

                return null;
            case EntryKind.Flag when value.Flag is not null:
                return null;
            case EntryKind.Counts when column == Column.Self && value.Score is { } claimed:
                return ScoreBoundsError(item, claimed, target.Points);
            case EntryKind.Flag when column == Column.Self && value.Score is { } claimed:
                return claimed == 0 || claimed == target.Points ? null
                    : $"{item}：是否项的自评得分只能是 0 或 {RaterText.Score(target.Points)} 分，不能是 {RaterText.Score(claimed)}";
            default:
                var wants = target.Entry switch
                {
                    EntryKind.Counts => "次数（" + string.Join("、", target.CountSpecs.Select(c => c.Key)) + "）",
                    EntryKind.Flag => "是或否",
                    _ => "得分",
                };
                return $"{item}：本项应填{wants}";
        }
    }

    /// <summary>The score counts give: Σ count × each, capped (min(cap, n × points)); for bands over a count, its band.</summary>
    public static decimal CountsScore(ScoreTarget target, IReadOnlyDictionary<string, int> counts)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(counts);
        return target.Rule switch
        {
            CountsRule rule => Math.Min(rule.Cap, rule.Counts.Sum(c => c.PointsFor(counts.GetValueOrDefault(c.Key)))),
            BandsRule { Input: CountInput input } rule => AutoScorer.Band(rule, counts.GetValueOrDefault(input.Key)),
            _ => throw new ArgumentException($"{target.Key} is not scored from counts.", nameof(target)),
        };
    }

    private static TargetLine Line(ScoreTarget target, AutoOutcome? auto, Entry? entry)
    {
        if (entry is not null)
        {
            var v = entry.Value;
            var score = v.Score ?? (v.Counts is { } counts ? CountsScore(target, counts) : v.Flag == true ? target.Points : 0);
            return new TargetLine(target, LineStatus.Entered, score, auto, entry);
        }

        if (target.IsAuto && auto is { OnSite: true })
        {
            return new TargetLine(target, LineStatus.Pending, null, auto, null);
        }

        if (target.IsAuto && auto is not null)
        {
            return auto.Computable
                ? new TargetLine(target, target.ConfirmedOnSite ? LineStatus.Unconfirmed : LineStatus.Auto, auto.Score, auto, null)
                : new TargetLine(target, LineStatus.NotComputable, null, auto, null);
        }

        return new TargetLine(target, LineStatus.Pending, null, auto, null);
    }
}
