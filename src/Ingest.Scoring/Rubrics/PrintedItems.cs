using System.Globalization;

namespace Ingest.Scoring.Rubrics;

/// <summary>The numbering the printed standard and the claims template use: an item, or a part of an item as 16.1.</summary>
public static class PrintedItems
{
    /// <summary>The rubric's items as the standard prints them: one per item, an item's parts numbered 16.1, 16.2 … (the claims template's rows).</summary>
    public static IEnumerable<(string Number, string Target, string Text, decimal Points)> Of(Rubric rubric)
    {
        ArgumentNullException.ThrowIfNull(rubric);
        foreach (var item in rubric.Items)
        {
            if (item.Rule is PartsRule parts)
            {
                for (var i = 0; i < parts.Parts.Count; i++)
                {
                    var part = parts.Parts[i];
                    yield return (string.Create(CultureInfo.InvariantCulture, $"{item.Number}.{i + 1}"), $"{item.Number}/{part.Key}", $"{item.Text}（{part.Label}）", part.Points);
                }
            }
            else
            {
                yield return (item.Number, item.Number, item.Text, item.Points);
            }
        }
    }

    /// <summary>
    /// The line a person names: its printed number (30, 16.2, A1.2) or its key (16/uploads); what names no line is given
    /// back as it is, for the use case to refuse with its own words.
    /// </summary>
    public static string Target(Rubric rubric, string text)
    {
        ArgumentNullException.ThrowIfNull(rubric);
        ArgumentNullException.ThrowIfNull(text);
        var wanted = text.Trim();
        if (rubric.FindTarget(wanted) is not null)
        {
            return wanted;
        }

        foreach (var (number, target, _, _) in Of(rubric))
        {
            if (number == wanted)
            {
                return target;
            }
        }

        return wanted;
    }

    /// <summary>
    /// The printed number of a line: an item's own number (22, A1.2), or for a part of an item its place among the parts
    /// (16/uploads → 16.2), as the standard and the claims template number them.
    /// </summary>
    public static string Number(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var slash = target.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return target;
        }

        foreach (var rubric in RubricLibrary.All)
        {
            if (rubric.Find(target[..slash]) is { Rule: PartsRule parts })
            {
                var index = parts.Parts.Select(p => p.Key).ToList().IndexOf(target[(slash + 1)..]);
                if (index >= 0)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"{target[..slash]}.{index + 1}");
                }
            }
        }

        return target;
    }
}
