using Ingest.Core.Sheets;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;

namespace Ingest.Scoring.Claims;

/// <summary>A claim as compared: what is claimed (an item, the whole of a parted item, or a part), the score, the figure, and the 佐证材料 it names.</summary>
public sealed record ClaimedLine(string Target, string Item, decimal Score, decimal? Figure, string? Note, int Line)
{
    public IReadOnlyList<string> Files { get; init; } = [];
}

/// <summary>How far a claim may go beyond the data before it is flagged: points of score, and a share of the online figure.</summary>
public sealed record ClaimTolerance(decimal Score = 0, decimal FigureShare = 0);

/// <summary>高于数据, 与数据一致, 低于数据, 数据不足.</summary>
public static class ClaimVerdict
{
    public const string Above = "高于数据";
    public const string Consistent = "与数据一致";
    public const string Below = "低于数据";
    public const string NoData = "数据不足";
}

/// <summary>
/// One claim on a pre-filled item against the data: the claimed score and the data's score, the claimed figure and the
/// online one (the school's own fact behind the score), the points claimed beyond the data, and the verdict.
/// </summary>
public sealed record ClaimComparison(ClaimedLine Claim, string Text, decimal Points, bool Veto, decimal? DataScore, string? Reason, FactEvidence? Online,
    decimal Excess, bool FigureAbove, string Verdict);

/// <summary>
/// A school's claims against its data: each claim on a pre-filled item compared, and the level the claims give against
/// the level when every pre-filled item takes its data score (等级存疑 when it drops), naming the ★ items that decide it.
/// </summary>
public sealed record SchoolClaimsReport(string SchoolCode, string SchoolName, IReadOnlyList<ClaimComparison> Lines, decimal ClaimedTotal, StarResult? ClaimedStars,
    decimal DataTotal, StarResult? DataStars, bool LevelInDoubt, IReadOnlyList<string> DecidingVetoItems)
{
    public decimal Excess => Lines.Sum(l => l.Excess);
}

/// <summary>Compares a school's claims with its scoresheet: pure, the same rules the sheet scores with.</summary>
public static class ClaimsComparer
{
    /// <param name="sheet">The school's scoresheet, its 学校自评 column holding the claims.</param>
    public static SchoolClaimsReport Compare(Scoresheet sheet, IReadOnlyList<ClaimedLine> claims, ClaimTolerance tolerance)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(tolerance);
        var lines = new List<ClaimComparison>();
        foreach (var claim in claims)
        {
            var item = sheet.Rubric.Find(claim.Item);
            if (item is null)
            {
                continue;
            }

            // The data's score of what is claimed: a target's auto outcome, or for the whole of a parted item the sum of its parts.
            var targets = claim.Target == item.Number ? item.Targets : item.Targets.Where(t => t.Key == claim.Target).ToArray();
            var outcomes = targets.Select(t => sheet.Auto.GetValueOrDefault(t.Key)).ToArray();
            if (outcomes.Length == 0 || outcomes.All(o => o is null))
            {
                continue; // an on-site item: nothing online to compare with
            }

            var points = targets.Sum(t => t.Points);
            var text = claim.Target == item.Number ? item.Text : $"{item.Text}（{targets[0].Label}）";
            var computable = outcomes.All(o => o is { Computable: true });
            var online = outcomes.Where(o => o is not null).SelectMany(o => o!.Evidence).FirstOrDefault(f => f.OrgCode == sheet.OrgCode);
            if (!computable)
            {
                var reason = string.Join("；", outcomes.Where(o => o is { Computable: false }).Select(o => o!.Reason).Distinct());
                lines.Add(new ClaimComparison(claim, text, points, item.Veto, null, reason, online, 0, false, ClaimVerdict.NoData));
                continue;
            }

            var dataScore = outcomes.Sum(o => o!.Score!.Value);
            var excess = Math.Max(0, claim.Score - dataScore);
            var figureAbove = claim.Figure is { } f && online?.Value is { } v && f > v * (1 + tolerance.FigureShare);
            var verdict = claim.Score - dataScore > tolerance.Score || (figureAbove && claim.Score >= dataScore) ? ClaimVerdict.Above
                : dataScore - claim.Score > tolerance.Score ? ClaimVerdict.Below
                : ClaimVerdict.Consistent;
            lines.Add(new ClaimComparison(claim, text, points, item.Veto, dataScore, null, online, excess, figureAbove, verdict));
        }

        // The level the claims give: the 学校自评 column, with the claims it cannot hold as entries (counts, 64's flag, a
        // parted item claimed whole) taken at their claimed score. The level the data gives: the same column with every
        // claim on a computable pre-filled line set back to the data.
        var self = sheet.Entries.Select(e => e.Entry).Concat(ClaimedOnly(sheet, claims)).ToArray();
        var claimed = SheetScorer.Score(sheet.Rubric, sheet.Auto, Column.Self, self);
        var data = DataColumn.Score(sheet, Column.Self, self);
        var inDoubt = (data.Stars?.Stars ?? 0) < (claimed.Stars?.Stars ?? 0);
        var deciding = inDoubt ? (data.Stars?.UnmetVetoItems ?? []).Except(claimed.Stars?.UnmetVetoItems ?? []).ToArray() : [];
        return new SchoolClaimsReport(sheet.OrgCode, sheet.OrgName, lines.OrderByDescending(l => l.Excess).ThenBy(l => l.Claim.Line).ToArray(),
            claimed.Total, claimed.Stars, data.Total, data.Stars, inDoubt, deciding);
    }

    /// <summary>
    /// Entries standing for the claims the 学校自评 column holds no entry for: a part or item at its claimed score, and a
    /// parted item claimed whole spread over its parts in order (each up to its points), which keeps the item's total and
    /// whether it has full points. Dated before any entry, so an entry made on the form wins.
    /// </summary>
    private static IEnumerable<Entry> ClaimedOnly(Scoresheet sheet, IReadOnlyList<ClaimedLine> claims)
    {
        var entered = SheetScorer.Latest(sheet.Entries.Select(e => e.Entry), Column.Self);
        foreach (var claim in claims)
        {
            var item = sheet.Rubric.Find(claim.Item);
            if (item is null)
            {
                continue;
            }

            foreach (var (target, score) in Spread(item, claim.Target, claim.Score))
            {
                if (!entered.ContainsKey(target))
                {
                    yield return new Entry(target, Column.Self, new EntryValue(score, null, null, "自评文件"), "自评文件", DateTimeOffset.MinValue);
                }
            }
        }
    }

    /// <summary>
    /// The lines a claim scores: the part or item it names at its claimed score, or for a parted item claimed whole its
    /// parts in order, each up to its points, which keeps the item's total and whether it has full points.
    /// </summary>
    public static IEnumerable<(string Target, decimal Score)> Spread(RubricItem item, string target, decimal score)
    {
        ArgumentNullException.ThrowIfNull(item);
        var left = score;
        foreach (var line in target == item.Number ? item.Targets : item.Targets.Where(t => t.Key == target))
        {
            var part = target == item.Number && item.Targets.Count > 1 ? Math.Min(left, line.Points) : left;
            left -= part;
            yield return (line.Key, part);
        }
    }
}
