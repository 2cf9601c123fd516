using Ingest.Core.Periods;

namespace Ingest.Scoring.Rubrics;

/// <summary>
/// A published rubric as data (<c>Rubrics/*.json</c>): areas (一级指标), groups (二级指标) and items (三级指标), each
/// item with its points, ★ flag and the rule that scores it. Built only through <see cref="RubricLoader"/>, which
/// validates it.
/// </summary>
/// <param name="Id">Versioned identifier, e.g. <c>school-2022</c>.</param>
/// <param name="Kind">School (star levels) or county (100 points).</param>
/// <param name="Title">The document's title.</param>
/// <param name="Source">Where the text comes from (document number, annex).</param>
/// <param name="Total">Points of the non-bonus areas together (100).</param>
/// <param name="StarLevels">Minimum totals of each star level, highest first; empty for a rubric without levels.</param>
/// <param name="VetoFromStars">The lowest level for which every ★ item must have its full points (4); null when no veto.</param>
/// <param name="Areas">Areas in document order.</param>
/// <param name="Note">The document's note under the table.</param>
public sealed record Rubric(
    string Id,
    RubricKind Kind,
    string Title,
    string Source,
    decimal Total,
    IReadOnlyList<StarLevel> StarLevels,
    int? VetoFromStars,
    IReadOnlyList<RubricArea> Areas,
    string? Note)
{
    /// <summary>Every item in document order.</summary>
    public IReadOnlyList<RubricItem> Items { get; } = Areas.SelectMany(a => a.Groups).SelectMany(g => g.Items).ToArray();

    /// <summary>The item numbered <paramref name="number"/>, or null.</summary>
    public RubricItem? Find(string number) => Items.FirstOrDefault(i => i.Number == number);

    /// <summary>The target <paramref name="key"/> (an item, or item/part), or null.</summary>
    public ScoreTarget? FindTarget(string key) => Items.SelectMany(i => i.Targets).FirstOrDefault(t => t.Key == key);

    /// <summary>The ★ items.</summary>
    public IEnumerable<RubricItem> VetoItems => Items.Where(i => i.Veto);
}

/// <summary>A star level and the total it needs (认定得分在95分及以上的为五星级 …).</summary>
public sealed record StarLevel(int Stars, decimal Min);

/// <summary>An area (一级指标). A bonus area (加分项) is added on top of the total, up to its points.</summary>
public sealed record RubricArea(string Code, string Name, decimal Points, bool Bonus, IReadOnlyList<RubricGroup> Groups, string? Note)
{
    public IEnumerable<RubricItem> Items => Groups.SelectMany(g => g.Items);
}

/// <summary>A group of items (二级指标) with its points; the county rubric has none (name null).</summary>
public sealed record RubricGroup(string? Name, decimal? Points, IReadOnlyList<RubricItem> Items);

/// <summary>An item (三级指标): number, text as the document writes it, points, ★ flag, and how it is scored.</summary>
/// <param name="Number">1 … 64 for schools, A1.1 … A6.5 and B.1 … B.4 for counties.</param>
/// <param name="AreaCode">The area it belongs to.</param>
/// <param name="Group">The group's name, when the rubric has groups.</param>
/// <param name="Text">Chinese text, verbatim, ★ included.</param>
/// <param name="Points">Most the item can give.</param>
/// <param name="Veto">★: one-vote veto for the higher star levels.</param>
/// <param name="Rule">How the item is scored.</param>
/// <param name="OnSite">
/// The words of <paramref name="Text"/> the data does not cover (21★ "能够根据用户角色及权限不同设置个性化……"): its pre-filled
/// score stands, but waits (待现场确认) until a rater confirms it on site. Null when the data covers the whole item.
/// </param>
public sealed record RubricItem(string Number, string AreaCode, string? Group, string Text, decimal Points, bool Veto, Rule Rule, string? OnSite = null)
{
    /// <summary>The places a value is filled in: the item itself, or each of its parts (<c>16/uploads</c>).</summary>
    public IReadOnlyList<ScoreTarget> Targets { get; } = Rule is PartsRule parts
        ? parts.Parts.Select(p => new ScoreTarget(Number + "/" + p.Key, Number, p.Key, p.Label, p.Points, p.Rule, OnSite)).ToArray()
        : [new ScoreTarget(Number, Number, null, null, Points, Rule, OnSite)];
}

/// <summary>
/// Where one score comes from: a whole item, or one part of a composite item. Auto targets are filled from facts;
/// the others wait for a person (a score, counts, or a flag).
/// </summary>
/// <param name="Key">Item number, or <c>item/part</c>.</param>
/// <param name="OnSite">The item's part to confirm on site (<see cref="RubricItem.OnSite"/>); applies to pre-filled targets.</param>
public sealed record ScoreTarget(string Key, string ItemNumber, string? PartKey, string? Label, decimal Points, Rule Rule, string? OnSite = null)
{
    /// <summary>A pre-filled score here stands only once a rater confirms <see cref="OnSite"/> (待现场确认).</summary>
    public bool ConfirmedOnSite => IsAuto && OnSite is not null;

    /// <summary>What a person fills in here, or <see cref="EntryKind.None"/> when the engine scores it from facts.</summary>
    public EntryKind Entry => Rule switch
    {
        EnteredRule => EntryKind.Score,
        CountsRule => EntryKind.Counts,
        BandsRule { Input: CountInput } => EntryKind.Counts,
        FlagRule => EntryKind.Flag,
        _ => EntryKind.None,
    };

    /// <summary>True when the engine pre-fills the score from facts.</summary>
    public bool IsAuto => Entry == EntryKind.None;

    /// <summary>The counts a person enters here, with their labels.</summary>
    public IReadOnlyList<CountSpec> CountSpecs => Rule switch
    {
        CountsRule c => c.Counts,
        BandsRule { Input: CountInput ci } => [new CountSpec(ci.Key, ci.Label, 0)],
        _ => [],
    };
}

/// <summary>What a person enters for a target.</summary>
public enum EntryKind
{
    /// <summary>Nothing: auto-scored (a person may still override with a reason).</summary>
    None,

    /// <summary>A score between 0 and the points, in 0.5 steps.</summary>
    Score,

    /// <summary>Counts that the engine scores.</summary>
    Counts,

    /// <summary>A yes/no flag.</summary>
    Flag,
}
