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
}
