namespace Ingest.Core.Sheets;

/// <summary>
/// A column's figures as a sheet keeps them for its lists: the total, each area's score by area code, the level with
/// the level the total alone gives and the ★ items that held it back, lines waiting or not computable, entries made, and
/// the level the other reading of "a ★ item is met" would give (<c>Scoring:StarItemsMet</c>).
/// </summary>
public sealed record ColumnTotals(Column Column, decimal Total, IReadOnlyDictionary<string, decimal> Areas, int? Stars, int? StarsByTotal,
    IReadOnlyList<string> UnmetVetoItems, int Pending, int NotComputable, int Entries, int? StarsOtherReading = null);
