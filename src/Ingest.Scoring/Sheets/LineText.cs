using Ingest.Scoring.Rubrics;

namespace Ingest.Scoring.Sheets;

/// <summary>A scoresheet line in words, the same for the console and the pages: its status and what it rests on.</summary>
public static class LineText
{
    /// <summary>The status word; an entry that changed a computed auto score is 已改写.</summary>
    public static string Status(TargetLine line) =>
        RaterText.StatusWord(line.Status, line is { Entry: not null, Auto: { Computable: true } auto } && line.Score != auto.Score);

    /// <summary>
    /// What a line rests on: for an entry, what was entered, by whom and why (and the auto score it replaced); for an
    /// auto line, the comparison and each fact; for a line that waits, why.
    /// </summary>
    public static string Basis(TargetLine line)
    {
        var parts = new List<string>();
        if (line.Entry is { } e)
        {
            var value = e.Value switch
            {
                { Counts: { } counts } => RaterText.Counts(line.Target.CountSpecs, counts),
                { Flag: { } flag } => flag ? "是" : "否",
                { Score: { } score } => RaterText.Score(score) + "分",
                _ => string.Empty,
            };
            parts.Add($"{e.By} 录入 {value}{(e.Value.Reason is { } reason ? "，理由：" + reason : string.Empty)}");
            if (line.Auto is { Computable: true } auto && auto.Score != line.Score)
            {
                parts.Add($"自动得分 {RaterText.Score(auto.Score)}");
            }
        }
        else if (line.Target.Rule is FlagRule or CountsRule or BandsRule { Input: CountInput })
        {
            parts.Add(line.Target.Entry == EntryKind.Flag ? "待填：是 或 否" : "待填次数：" + string.Join("；", line.Target.CountSpecs.Select(c => c.Label)));
        }

        if (line.Auto is { } a)
        {
            parts.Add((a.OnSite ? a.Reason : a.Summary ?? a.Reason) ?? string.Empty);
            parts.AddRange(a.Evidence.Select(RaterText.Evidence));
        }

        if (line.Status == LineStatus.Unconfirmed)
        {
            parts.Add(RaterText.OnSite(line.Target));
        }

        return string.Join("\n", parts.Where(p => p.Length > 0));
    }
}
