using System.Globalization;
using Ingest.Core.Sheets;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;

namespace Ingest.Scoring.Remediation;

/// <summary>
/// A line below its full points in the column planned on: what it would recover (within its area's cap), and for a
/// line the data fills its figure against what the item asks ("开课节数 12节，未达到 20节").
/// </summary>
/// <param name="Target">The line's key (30, 16/uploads).</param>
/// <param name="Number">Its printed number (30, 16.2).</param>
/// <param name="Name">The item in a few words.</param>
/// <param name="Recovers">The points full marks would add to the total, after the area's cap.</param>
/// <param name="Figure">For a data line, the figure against the threshold; null for a line a person scores.</param>
/// <param name="Blocks">A ★ item not met that keeps the school below the target level whatever its total (the veto).</param>
public sealed record GapLine(string Target, string Number, string Name, bool Veto, decimal Points, decimal Score, decimal Recovers, string? Figure, LineStatus Status,
    bool Blocks)
{
    public bool DataLine => Figure is not null;

    /// <summary>What is short, without what it would recover: "★19 开课节数 12节，未达到 20节" (the words a 整改 item starts from).</summary>
    public string Finding => $"{(Veto ? "★" : "")}{Number} {Name}{(Figure is null ? string.Empty : " " + Figure)}";

    /// <summary>As the plan prints it: "★19 开课节数 12节，未达到 20节 +3分".</summary>
    public string Text => $"{Finding} +{RaterText.Score(Recovers)}分";
}

/// <summary>
/// What stands between a school and its target level, in the column planned on: the target (申报星级, or the next
/// level), the points missing, the ★ items unmet, and every line below full points ordered by what most helps reach the
/// target; lines that still wait for a score or cannot be computed are listed apart. What the lines can recover
/// together never passes the rubric's maximum less the total.
/// </summary>
public sealed record GapPlan(Column Column, decimal Total, int? Stars, int? TargetStars, decimal? TargetMin, decimal Missing, IReadOnlyList<string> UnmetVeto,
    IReadOnlyList<GapLine> Lines, IReadOnlyList<GapLine> Waiting, decimal Recoverable)
{
    /// <summary>The plan in a sentence: "距三星级1.5分：★16.2 … +2分；30 … +1.5分". Null at the top level.</summary>
    public string? Headline
    {
        get
        {
            if (TargetStars is not { } target)
            {
                return null;
            }

            // The lines that together reach the target: every ★ line that blocks, then the largest until the points are there.
            var chosen = new List<GapLine>();
            var gained = 0m;
            foreach (var line in Lines)
            {
                if (!line.Blocks && gained >= Missing && chosen.Count > 0)
                {
                    break;
                }

                chosen.Add(line);
                gained += line.Recovers;
            }

            var head = Missing > 0 ? $"距{RaterText.Stars(target)}{RaterText.Score(Missing)}分" : $"总分已够{RaterText.Stars(target)}";
            if (UnmetVeto.Count > 0)
            {
                head += $"，★项未达标 {UnmetVeto.Count} 项";
            }

            return chosen.Count == 0 ? head : head + "：" + string.Join("；", chosen.Select(l => l.Text));
        }
    }
}

/// <summary>Builds a school's <see cref="GapPlan"/> from one column of its sheet.</summary>
public static class GapPlanner
{
    /// <param name="applied">The level the school applies for (申报星级): the target when above its level now.</param>
    public static GapPlan Plan(Scoresheet sheet, Column column, int? applied, StarItemReading reading = StarItemReading.FullPoints)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        var rubric = sheet.Rubric;
        var result = sheet.Column(column);
        var stars = result.Stars?.Stars;
        var levels = rubric.StarLevels.OrderBy(l => l.Stars).ToArray();
        var target = applied is { } a && a > (stars ?? 0) && levels.Any(l => l.Stars == a) ? a
            : levels.FirstOrDefault(l => l.Stars > (stars ?? 0))?.Stars;
        var targetMin = target is { } t ? levels.Single(l => l.Stars == t).Min : (decimal?)null;
        var needsVeto = target >= rubric.VetoFromStars;
        var unmet = needsVeto ? result.Items.Where(i => i.Item.Veto && !i.Met(reading)).Select(i => i.Item.Number).ToArray() : [];

        var lines = new List<(GapLine Line, string Area, int Order)>();
        var waiting = new List<GapLine>();
        var order = 0;
        var areas = result.Areas.ToDictionary(a => a.Area.Code, StringComparer.Ordinal);
        foreach (var item in result.Items)
        {
            if (item.Item.Rule is FlagRule { OverridesArea: true })
            {
                continue;
            }

            var area = areas[item.Item.AreaCode];
            var room = area.OverriddenBy is not null ? 0 : Math.Max(0, area.Area.Points - area.Sum);
            foreach (var line in item.Targets)
            {
                order++;
                var score = line.Score ?? 0;
                var name = Name(item.Item, line.Target);
                var auto = sheet.Auto.GetValueOrDefault(line.Target.Key);
                var blocks = unmet.Contains(item.Item.Number);
                if (line.Status is LineStatus.Pending or LineStatus.NotComputable)
                {
                    waiting.Add(new GapLine(line.Target.Key, PrintedItems.Number(line.Target.Key), name, item.Item.Veto, line.Target.Points, score,
                        Math.Min(line.Target.Points - score, room), auto?.Computable == false ? auto.Reason : null, line.Status, blocks));
                    continue;
                }

                var recovers = Math.Min(line.Target.Points - score, room);
                if (score >= line.Target.Points || (recovers == 0 && !blocks))
                {
                    // Full, or under an area already at its cap: more points here would change nothing.
                    continue;
                }

                var figure = auto is { Computable: true } && line.Entry is null ? auto.Summary : null;
                lines.Add((new GapLine(line.Target.Key, PrintedItems.Number(line.Target.Key), name, item.Item.Veto, line.Target.Points, score, recovers, figure,
                    line.Status, blocks), item.Item.AreaCode, order));
            }
        }

        // Together, the lines of an area recover no more than the room under its cap.
        var recoverable = lines.GroupBy(l => l.Area, StringComparer.Ordinal)
            .Sum(g => Math.Min(g.Sum(l => l.Line.Recovers), Room(areas[g.Key])));
        var ordered = lines.OrderByDescending(l => l.Line.Blocks).ThenByDescending(l => l.Line.Recovers).ThenBy(l => l.Order).Select(l => l.Line).ToArray();
        return new GapPlan(column, result.Total, stars, target, targetMin, targetMin is { } min ? Math.Max(0, min - result.Total) : 0, unmet, ordered, waiting,
            recoverable);
    }

    private static decimal Room(AreaTotal area) => area.OverriddenBy is not null ? 0 : Math.Max(0, area.Area.Points - area.Sum);

    /// <summary>The item in a few words: a part's label, else the item's text to its first pause, shortened.</summary>
    internal static string Name(RubricItem item, ScoreTarget target)
    {
        if (target.Label is { } label)
        {
            return Short(label);
        }

        var text = item.Text.TrimStart('★');
        var stop = text.IndexOfAny(['，', '。', '；', '（', ',']);
        return Short(stop > 0 ? text[..stop] : text);
    }

    private static string Short(string text) =>
        new StringInfo(text).LengthInTextElements <= 20 ? text : new StringInfo(text).SubstringByTextElements(0, 19) + "…";
}
