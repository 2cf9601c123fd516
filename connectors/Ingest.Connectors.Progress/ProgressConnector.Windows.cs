using Ingest.Core.Periods;

namespace Ingest.Connectors.Progress;

public sealed partial class ProgressConnector
{
    /// <summary>The periods grouped into date windows: overlapping or adjacent ones joined, in date order.</summary>
    internal static IReadOnlyList<(DateOnly First, DateOnly Last, IReadOnlyList<Period> Periods)> Windows(IEnumerable<Period> periods)
    {
        var windows = new List<(DateOnly First, DateOnly Last, List<Period> Periods)>();
        foreach (var period in periods.OrderBy(p => p.Start).ThenBy(p => p.End))
        {
            if (windows.Count > 0 && period.Start <= windows[^1].Last.AddDays(1))
            {
                var last = windows[^1];
                last.Periods.Add(period);
                windows[^1] = (last.First, period.End > last.Last ? period.End : last.Last, last.Periods);
            }
            else
            {
                windows.Add((period.Start, period.End, [period]));
            }
        }

        return windows.Select(w => (w.First, w.Last, (IReadOnlyList<Period>)w.Periods)).ToArray();
    }

    private static int Needed(long rows, int pageSize) => (int)Math.Max(1, (rows + pageSize - 1) / pageSize);
}
