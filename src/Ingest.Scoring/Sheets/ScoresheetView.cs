using Ingest.Core.Sheets;
using Ingest.Scoring.Rubrics;

namespace Ingest.Scoring.Sheets;

/// <summary>A scoresheet as the API and the exports show it: header, each column's totals, and a line per target.</summary>
public sealed record ScoresheetView(
    long Id,
    string OrgCode,
    string OrgName,
    string? CountyCode,
    string Rubric,
    string RubricTitle,
    string Cycle,
    PeriodsView Periods,
    int? AppliedStars,
    DateTimeOffset ScoredAt,
    IReadOnlyList<string> Settings,
    IReadOnlyList<ColumnView> Columns,
    IReadOnlyList<LineView> Lines)
{
    public static ScoresheetView From(Scoresheet sheet)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        var lines = sheet.Rubric.Items.SelectMany(item => item.Targets.Select(target => new LineView(
            target.Key, item.Number, target.PartKey, item.AreaCode, item.Group, target.Label ?? item.Text, target.Points, item.Veto,
            KindOf(target), target.CountSpecs.Select(c => new CountView(c.Key, c.Label, c.Each)).ToArray(),
            sheet.Auto.GetValueOrDefault(target.Key) is { } auto ? new AutoView(auto.Score, auto.Reason, auto.Summary, auto.Settings, auto.Evidence, auto.OnSite) : null,
            sheet.Columns.ToDictionary(c => ColumnKey(c.Column), c => CellOf(c, item, target)), target.IsAuto ? target.OnSite : null))).ToArray();
        var columns = sheet.Columns.Select(c => new ColumnView(ColumnKey(c.Column), c.Total,
            c.Areas.Select(a => new AreaView(a.Area.Code, a.Area.Name, a.Area.Points, a.Sum, a.Score, a.OverriddenBy)).ToArray(),
            c.Stars is { } s ? new StarsView(s.Stars, s.ByTotal, s.UnmetVetoItems, s.Vetoed, s.Provisional) : null,
            c.Pending, c.NotComputable)).ToArray();
        return new ScoresheetView(sheet.Id, sheet.OrgCode, sheet.OrgName, sheet.CountyCode, sheet.Rubric.Id, sheet.Rubric.Title, sheet.Cycle.ToString(),
            new PeriodsView(sheet.Periods.CalendarYear.Code, sheet.Periods.SchoolYear.Code, sheet.Periods.InfrastructureExport.Code),
            sheet.AppliedStars, sheet.ScoredAt, sheet.Settings, columns, lines);
    }

    /// <summary>The API's name of a column: self, bureau, department.</summary>
    public static string ColumnKey(Column column) => column.ToString().ToLowerInvariant();

    /// <summary>The API's name of a status: auto, not_computable, entered, pending, unconfirmed (待现场确认).</summary>
    public static string StatusKey(LineStatus status) => status switch
    {
        LineStatus.NotComputable => "not_computable",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static string KindOf(ScoreTarget target) => target.Entry switch
    {
        EntryKind.None => "auto",
        EntryKind.Score => "score",
        EntryKind.Counts => "counts",
        _ => "flag",
    };

    private static CellView CellOf(ColumnResult column, RubricItem item, ScoreTarget target)
    {
        var line = column.Items.Single(i => i.Item.Number == item.Number).Targets.Single(t => t.Target.Key == target.Key);
        var e = line.Entry;
        return new CellView(StatusKey(line.Status), line.Score,
            e is null ? null : new EntryView(e.Value.Score, e.Value.Counts, e.Value.Flag, e.Value.Reason, e.By, e.At));
    }
}

public sealed record PeriodsView(string CalendarYear, string SchoolYear, string InfrastructureExport);

public sealed record ColumnView(string Column, decimal Total, IReadOnlyList<AreaView> Areas, StarsView? Stars, int Pending, int NotComputable);

public sealed record AreaView(string Code, string Name, decimal Points, decimal Sum, decimal Score, string? OverriddenBy);

public sealed record StarsView(int? Stars, int? ByTotal, IReadOnlyList<string> UnmetVetoItems, bool Vetoed, bool Provisional);

/// <summary>One target of the rubric (an item or a part of one) with the auto outcome and each column's cell.</summary>
/// <param name="Kind">auto (pre-filled from facts), score, counts or flag (entered by staff).</param>
/// <param name="OnSite">For a pre-filled line whose data covers only part of the item: the rest, which a rater confirms on site (待现场确认).</param>
public sealed record LineView(string Target, string Item, string? Part, string Area, string? Group, string Text, decimal Points, bool Veto,
    string Kind, IReadOnlyList<CountView> Counts, AutoView? Auto, IReadOnlyDictionary<string, CellView> Columns, string? OnSite = null);

public sealed record CountView(string Key, string Label, decimal Each);

/// <param name="OnSite">No score because the data covers only part of the item: a person confirms the rest on site (<see cref="Reason"/> says what).</param>
public sealed record AutoView(decimal? Score, string? Reason, string? Summary, IReadOnlyList<string> Settings, IReadOnlyList<FactEvidence> Evidence, bool OnSite);

/// <summary>A line in one column: status (auto, not_computable, entered, pending, unconfirmed), score, and the latest entry.</summary>
public sealed record CellView(string Status, decimal? Score, EntryView? Entry);

public sealed record EntryView(decimal? Score, IReadOnlyDictionary<string, int>? Counts, bool? Flag, string? Reason, string By, DateTimeOffset At);

/// <summary>An entry as logged, with the target's score in its column before and after; <paramref name="Withdrawn"/>: it took the entry before back.</summary>
public sealed record EntryLogView(long Id, string Target, string Column, decimal? Score, IReadOnlyDictionary<string, int>? Counts, bool? Flag,
    string? Reason, string By, DateTimeOffset At, decimal? OldScore, decimal? NewScore, decimal? AutoScore, bool Withdrawn = false)
{
    public static EntryLogView From(EntryLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var e = log.Entry;
        return new EntryLogView(log.Id, e.Target, ScoresheetView.ColumnKey(e.Column), e.Value.Score, e.Value.Counts, e.Value.Flag, e.Value.Reason,
            e.By, e.At, log.OldScore, log.NewScore, log.AutoScore, e.Value.IsWithdrawal);
    }
}
