using System.Globalization;
using Ingest.Core.Sheets;
using Ingest.Data.Scoresheets;
using Ingest.Scoring.Sheets;

namespace Ingest.Host.Web;

/// <summary>Small pieces of wording the pages share: times in Beijing time, a column summary's level.</summary>
public static class PageText
{
    /// <summary>2026-11-30 10:15, Beijing time (the upstreams' and the people's).</summary>
    public static string Time(DateTimeOffset? at) =>
        at is { } t ? t.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—";

    /// <summary>An upstream listing (a raw archive stream) by the name people know it by, with its own name after it.</summary>
    public static string StreamName(string stream) =>
        Ingest.Application.Operations.RunText.StreamTitle(stream) is var name && name != stream ? $"{name}（{stream}）" : stream;

    /// <summary>The level a stored column summary gives, in words, with the ★ veto and 待填 as the sheet page says them.</summary>
    public static string Level(Column rating, ColumnSummary? column) => column is null ? string.Empty : RaterText.Level(rating, Stars(column));

    public static StarResult Stars(ColumnSummary column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return new StarResult(column.Stars, column.StarsByTotal, column.UnmetVetoItems, column.Stars != column.StarsByTotal, column.Pending + column.NotComputable > 0);
    }
}
