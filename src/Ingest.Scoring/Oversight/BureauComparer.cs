using Ingest.Core.Sheets;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;

namespace Ingest.Scoring.Oversight;

/// <summary>
/// A pre-filled line the bureau rated otherwise than the data: the data's score, the bureau's, by how much, why and who.
/// </summary>
public sealed record OverrideLine(string Target, string Text, decimal Points, bool Veto, decimal DataScore, decimal BureauScore, string? Reason, string By,
    DateTimeOffset At)
{
    /// <summary>Points the bureau gave above the data (positive) or below it (negative).</summary>
    public decimal Delta => BureauScore - DataScore;
}

/// <summary>An on-site line where the bureau's score and the school's own 自评 differ by more than the margin.</summary>
public sealed record OnSiteGap(string Target, string Text, decimal Points, decimal SelfScore, decimal BureauScore, string By)
{
    /// <summary>The bureau's score less the school's.</summary>
    public decimal Difference => BureauScore - SelfScore;
}

/// <summary>How the oversight flags a bureau's column (configurable under <c>Oversight</c>).</summary>
/// <param name="OnSiteMargin">An on-site line is listed when the bureau and the 自评 differ by more than this many points.</param>
/// <param name="FarAboveTotal">A school the bureau rated at this total or above …</param>
/// <param name="FarAboveLevels">… is flagged when the data puts it this many levels (or more) lower.</param>
public sealed record OversightRules(decimal OnSiteMargin = 1, decimal FarAboveTotal = 80, int FarAboveLevels = 2);

/// <summary>
/// One school as its bureau rated it against the data: every pre-filled line the bureau overrode, the bureau's total and
/// level against the total and level the data alone gives, on-site lines far from the school's own 自评, and whether the
/// bureau rated it high (<see cref="OversightRules.FarAboveTotal"/>) where the data puts it levels lower.
/// </summary>
public sealed record SchoolOversight(string SchoolCode, string SchoolName, bool Finalised, IReadOnlyList<OverrideLine> Overrides, decimal BureauTotal,
    StarResult? BureauStars, decimal DataTotal, StarResult? DataStars, IReadOnlyList<OnSiteGap> OnSiteGaps, bool FarAbove)
{
    /// <summary>Points the bureau gave beyond the data, over every line it raised.</summary>
    public decimal Beyond => Overrides.Where(o => o.Delta > 0).Sum(o => o.Delta);

    /// <summary>Points the bureau took off the data, over every line it lowered (a positive number).</summary>
    public decimal Under => Overrides.Where(o => o.Delta < 0).Sum(o => -o.Delta);

    /// <summary>How many levels the bureau's level stands above the data's (negative: below); 未达到星级 counts as one below 二星级.</summary>
    public int LevelsAbove => BureauComparer.Rank(BureauStars) - BureauComparer.Rank(DataStars);
}

/// <summary>Compares a school sheet's 教育局评定 column with its data: pure, by the rules the sheet is scored with.</summary>
public static class BureauComparer
{
    public static SchoolOversight Compare(Scoresheet sheet, OversightRules rules, StarItemReading reading = StarItemReading.FullPoints)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        ArgumentNullException.ThrowIfNull(rules);
        var entries = sheet.Entries.Select(e => e.Entry).ToArray();
        var bureau = SheetScorer.Score(sheet.Rubric, sheet.Auto, Column.Bureau, entries, reading);
        var self = SheetScorer.Score(sheet.Rubric, sheet.Auto, Column.Self, entries, reading);
        var data = DataColumn.Score(sheet, Column.Bureau, entries, reading);
        var selfLines = self.Items.SelectMany(i => i.Targets).ToDictionary(t => t.Target.Key, StringComparer.Ordinal);

        var overrides = new List<OverrideLine>();
        var gaps = new List<OnSiteGap>();
        foreach (var item in bureau.Items)
        {
            foreach (var line in item.Targets)
            {
                var text = line.Target.Label is { } label ? $"{item.Item.Text}（{label}）" : item.Item.Text;
                if (line is { Auto.Score: { } dataScore, Entry: { } entry, Score: { } score } && score != dataScore)
                {
                    overrides.Add(new OverrideLine(line.Target.Key, text, line.Target.Points, item.Item.Veto, dataScore, score, entry.Value.Reason, entry.By, entry.At));
                }
                else if (line is { Auto: null or { Computable: false }, Entry: { } onSite, Score: { } bureauScore }
                    && selfLines.GetValueOrDefault(line.Target.Key) is { Entry: not null, Score: { } selfScore }
                    && Math.Abs(bureauScore - selfScore) > rules.OnSiteMargin)
                {
                    gaps.Add(new OnSiteGap(line.Target.Key, text, line.Target.Points, selfScore, bureauScore, onSite.By));
                }
            }
        }

        var farAbove = bureau.Total >= rules.FarAboveTotal && Rank(bureau.Stars) - Rank(data.Stars) >= rules.FarAboveLevels;
        return new SchoolOversight(sheet.OrgCode, sheet.OrgName, sheet.IsFinalised,
            // Stable sorts: lines of the same size stay in the rubric's order.
            overrides.OrderByDescending(o => o.Delta).ToArray(),
            bureau.Total, bureau.Stars, data.Total, data.Stars,
            gaps.OrderByDescending(g => Math.Abs(g.Difference)).ToArray(), farAbove);
    }

    /// <summary>A level as a rank: its stars, 未达到星级 one below the lowest level (1).</summary>
    public static int Rank(StarResult? stars) => stars?.Stars ?? 1;
}
