using System.Text;
using Ingest.Host.Scoring;
using Ingest.Host.Scoring.Forms;
using Ingest.Host.Web;
using Ingest.Scoring.Sheets;

namespace Ingest.Host.Audit;

/// <summary>
/// The county's discrepancy report as a file to hand over: a line per compared claim, the most excess first, in the words
/// of the report; text a spreadsheet would read as a formula is neutralised in both CSV and xlsx.
/// </summary>
public static class ClaimsReportExport
{
    public static readonly IReadOnlyList<string> Header =
        ["学校标识码", "学校名称", "序号", "指标", "分值", "自评得分", "数据得分", "超出", "自评数据", "网上数据", "采集时间", "结论", "自评等级", "按数据等级", "等级存疑"];

    public static IReadOnlyList<string[]> Rows(CountyClaimsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Schools.SelectMany(s => s.Lines.Select(l => new[]
        {
            s.SchoolCode, s.SchoolName, l.Claim.Target, l.Text, RaterText.Score(l.Points), RaterText.Score(l.Claim.Score), RaterText.Score(l.DataScore),
            RaterText.Score(l.Excess), l.Claim.Figure is { } f ? RaterText.Number(f) : string.Empty, l.Online is { } o ? RaterText.Evidence(o) : string.Empty,
            l.Online is { } fetched ? PageText.Time(fetched.FetchedAt) : string.Empty, l.Verdict + (l.Reason is { } why ? "：" + why : string.Empty),
            RaterText.Level(s.ClaimedStars), RaterText.Level(s.DataStars),
            s.LevelInDoubt ? "等级存疑：" + string.Join("、", s.DecidingVetoItems.Select(i => "★" + i)) + " 按数据未得满分" : string.Empty,
        })).ToArray();
    }

    public static byte[] Csv(CountyClaimsReport report)
    {
        var text = new StringBuilder();
        foreach (var row in Rows(report).Prepend(Header.ToArray()))
        {
            text.AppendJoin(',', row.Select(c => ScoresheetExports.Quote(ScoresheetExports.Neutralise(c)))).Append("\r\n");
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    public static byte[] Workbook(CountyClaimsReport report)
    {
        var sheet = new XSheet("自评核查");
        var rows = Rows(report).Prepend(Header.ToArray()).ToArray();
        for (var r = 0; r < rows.Length; r++)
        {
            for (var c = 0; c < rows[r].Length; c++)
            {
                sheet.Set(r + 1, c + 1, rows[r][c].Length == 0 ? null : ScoresheetExports.Neutralise(rows[r][c]));
            }
        }

        using var buffer = new MemoryStream();
        Xlsx.Write(buffer, sheet);
        return buffer.ToArray();
    }
}
