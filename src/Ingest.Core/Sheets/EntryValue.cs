namespace Ingest.Core.Sheets;

/// <summary>
/// What a person filled in for one target in one column: a score, counts or a flag, with the reason; or, with none of
/// the three, the withdrawal of the entry before it (the line goes back to its pre-filled score or to waiting).
/// </summary>
public sealed record EntryValue(decimal? Score, IReadOnlyDictionary<string, int>? Counts, bool? Flag, string? Reason)
{
    /// <summary>A withdrawal of the target's entry in its column, for <paramref name="reason"/>.</summary>
    public static EntryValue Withdrawal(string reason) => new(null, null, null, reason);

    /// <summary>
    /// The 佐证材料 the rater names behind this value, by file name (files of the school's sheet on the same line), in the
    /// order given; empty when none is named.
    /// </summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>True when this takes back the entry before it instead of giving a value.</summary>
    public bool IsWithdrawal => Score is null && Counts is null && Flag is null;

    /// <summary>
    /// The same score, counts (zero counts as absent) or flag as <paramref name="other"/>, behind the same 佐证材料; the
    /// reason aside.
    /// </summary>
    public bool SameValueAs(EntryValue? other) =>
        other is not null && !IsWithdrawal && !other.IsWithdrawal && Score == other.Score && Flag == other.Flag
        && NonZero(Counts).SequenceEqual(NonZero(other.Counts)) && Files.SequenceEqual(other.Files, StringComparer.Ordinal);

    private static IEnumerable<KeyValuePair<string, int>> NonZero(IReadOnlyDictionary<string, int>? counts) =>
        (counts ?? new Dictionary<string, int>()).Where(c => c.Value != 0).OrderBy(c => c.Key, StringComparer.Ordinal);
}
