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
    public static string StreamName(string stream) => (stream switch
    {
        "teacher-activity" => "教师应用数据",
        "school-content" => "学校资源与应用数据",
        "literacy-assessment" => "教师信息素养测评",
        "student-space" => "学生空间数据",
        "orgs" => "机构目录",
        "classrooms" => "在线互动教室",
        "sessions" => "在线课堂",
        "infrastructure-export" => "基础设施导出",
        _ => null,
      }) is { } name ? $"{name}（{stream}）" : stream;

    /// <summary>The level a stored column summary gives, in words, with the ★ veto and 待填 as the sheet page says them.</summary>
    public static string Level(Column rating, ColumnSummary? column) => column is null ? string.Empty : RaterText.Level(rating, Stars(column));

    public static StarResult Stars(ColumnSummary column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return new StarResult(column.Stars, column.StarsByTotal, column.UnmetVetoItems, column.Stars != column.StarsByTotal, column.Pending + column.NotComputable > 0);
    }
}
