namespace Ingest.Core.Sheets;

/// <summary>
/// What the engine pre-fills for an auto target: a score with the facts behind it, or not computable with the
/// reason. <see cref="Settings"/> names the configurable decisions the score depends on. <see cref="OnSite"/>: no score
/// because the data covers only part of what the item names; the line waits for a person to confirm the rest on site,
/// with the data shown (A1.2).
/// </summary>
public sealed record AutoOutcome(decimal? Score, string? Reason, IReadOnlyList<FactEvidence> Evidence, IReadOnlyList<string> Settings, string? Summary,
    bool OnSite = false)
{
    public bool Computable => Score is not null;
}
