using Ingest.Core.Sheets;
using Ingest.Scoring.Rubrics;

namespace Ingest.Scoring.Sheets;

/// <summary>
/// A column as the data alone scores it: each computable pre-filled line takes its data score (an entry there stands as a
/// confirmation at the data's score, so a line confirmed on site stays confirmed), and every other entry stands. The claims report reads the 学校自评 column this way and the
/// oversight of the bureaus the 教育局评定 column: one rule for "the level the data gives".
/// </summary>
public static class DataColumn
{
    /// <param name="entries">The entries to score from (the sheet's own, or with claims standing for entries).</param>
    public static ColumnResult Score(Scoresheet sheet, Column column, IEnumerable<Entry> entries, StarItemReading reading = StarItemReading.FullPoints)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        var all = entries.ToArray();
        var replaced = sheet.Auto.Where(a => a.Value.Computable).Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
        var confirmed = SheetScorer.Latest(all, column).Values.Where(e => replaced.Contains(e.Target))
            .Select(e => e with { Value = new EntryValue(sheet.Auto[e.Target].Score, null, null, e.Value.Reason) });
        return SheetScorer.Score(sheet.Rubric, sheet.Auto, column, all.Where(e => e.Column != column || !replaced.Contains(e.Target)).Concat(confirmed), reading);
    }
}
