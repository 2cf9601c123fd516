using System.Text;
using Ingest.Application.Claims;
using Ingest.Application.Operations;
using Ingest.Documents.Exports;
using Ingest.Documents.Forms;
using Ingest.Host.Web;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;

namespace Ingest.Host.Documents;

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
            s.SchoolCode, s.SchoolName, PrintedItems.Number(l.Claim.Target), l.Text, RaterText.Score(l.Points), RaterText.Score(l.Claim.Score), RaterText.Score(l.DataScore),
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

    /// <summary>The signs of gaming: a row per 期末突击 (with its weekly series) and per item over-claimed two cycles running.</summary>
    public static IReadOnlyList<string[]> SignRows(CountyClaimsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        string[] header = ["学校标识码", "迹象", "期间或指标", "说明"];
        return
        [
            header,
            .. report.Surges.Select(s => new[]
            {
                s.SchoolCode, "期末突击", RaterText.Period(s.Period),
                $"最后 {s.LastWeeks.Count} 个教学周开课 {RaterText.Number(s.LastWeeksLessons)} 节，周中位数 {RaterText.Number(s.Median)} 节，阈值 {RaterText.Number(s.Threshold)} 节；每周（周一）：" +
                string.Join("、", s.Series.Select(w => $"{w.Week.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)} {RaterText.Number(w.Lessons)}")),
            }),
            .. report.Repeated.Select(x => new[]
            {
                x.SchoolCode, "连续两个周期高于数据", $"{PrintedItems.Number(x.Target)} {x.Text}", $"{x.PreviousCycle} 超出 {RaterText.Score(x.PreviousExcess)} 分，{x.Cycle} 超出 {RaterText.Score(x.Excess)} 分",
            }),
        ];
    }

    /// <summary>What the report stands on: its moment and the runs whose facts it used.</summary>
    public static IReadOnlyList<string[]> BasisRows(CountyClaimsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var basis = report.Basis;
        return
        [
            ["县（区）", $"{report.CountyName}（{report.CountyCode}）"],
            ["评定周期", report.Cycle],
            ["截至", basis.AsOfRun is { } run ? $"采集批次 {run} 结束时（{PageText.Time(basis.AsOf)}）" : basis.AsOf is { } at ? PageText.Time(at) : "生成时的当前数据"],
            .. basis.Runs.Select(r => new[] { $"采集批次 {r.Id}", $"{PageText.Time(r.StartedAt)} 开始，{PageText.Time(r.FinishedAt)} 结束（{RunText.StatusWord(r.Status)}）" }),
        ];
    }

    public static byte[] Workbook(CountyClaimsReport report)
    {
        using var buffer = new MemoryStream();
        Xlsx.Write(buffer, Sheet("自评核查", Rows(report).Prepend(Header.ToArray()).ToArray()), Sheet("数据异常迹象", SignRows(report)),
            Sheet("数据依据", BasisRows(report)));
        return buffer.ToArray();
    }

    private static XSheet Sheet(string name, IReadOnlyList<string[]> rows)
    {
        var sheet = new XSheet(name);
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < rows[r].Length; c++)
            {
                sheet.Set(r + 1, c + 1, rows[r][c].Length == 0 ? null : ScoresheetExports.Neutralise(rows[r][c]));
            }
        }

        return sheet;
    }
}
