using System.Globalization;
using Ingest.Application.Oversight;
using Ingest.Documents.Exports;
using Ingest.Documents.Forms;
using Ingest.Scoring.Sheets;

namespace Ingest.Host.Documents;

/// <summary>The department's table of 第十五条 and 第十三条 as a workbook: a line per county, with the decisions recorded.</summary>
public static class CountyTableExport
{
    public static byte[] Workbook(CountyTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        using var buffer = new MemoryStream();
        Xlsx.Write(buffer,
            ProgrammeReportExport.Sheet("第十五条、第十三条",
            [
                ["县（区）", "县（区）代码", "报送四星级申请", "通过", "通过率", "通过率结论", "抽查学校", "抽查不合格", "抽查结果", "学校数", "四星级及以上", "四星级及以上占比",
                    "超出数据（分）", "星级高于数据的学校", "高评两级及以上", "符合第十五条的情形", "通报批评", "下一年度培育名额", "教育厅说明", "决定人", "决定时间"],
                .. table.Counties.Select(l => new[]
                {
                    l.CountyName, l.CountyCode, N(l.FourStarApplications), N(l.FourStarPassed), l.FourStarRate is { } r ? Percent(r) : "—", l.FourStarVerdict,
                    l.SpotChecked ? N(l.SpotChecks) : "未抽查", N(l.SpotCheckFailures), l.SpotCheckOutcome ?? (l.SpotChecked ? "进行中" : "—"), N(l.Schools), N(l.FourStarPlus),
                    l.FourStarShare is { } s ? Percent(s) : "—", RaterText.Score(l.Beyond), N(l.LevelAboveData), N(l.FarAbove),
                    l.Conditions.Count == 0 ? "无" : string.Join("；", l.Conditions), l.Decision is { } d ? (d.Criticised ? "通报批评" : "不通报") : "未决定",
                    l.Decision?.Quota is { } q ? N(q) : string.Empty, l.Decision?.Note ?? string.Empty, l.Decision?.DecidedBy ?? string.Empty,
                    l.Decision is { } t ? Ingest.Host.Web.PageText.Time(t.DecidedAt) : string.Empty,
                }),
            ]),
            ProgrammeReportExport.Sheet("说明",
            [
                ["评定周期", table.Cycle],
                ["第十五条（二）", $"当年申报的四星级学校认定通过率低于 {Percent(table.PassRateThreshold)}：只计教育局报送的申请"],
                ["第十五条（三）", "教育厅对二星级、三星级学校抽查不合格：抽查结果为教育厅结束抽查时记录的结果"],
                ["第十五条（一）", "未能客观公正开展认定：由教育厅认定；表中列出教育局评定高出网上数据两级及以上的学校数与超出数据的分数供参考"],
                ["第十三条", "四星级及以上学校占全县（区）学校的比例，以星级登记为准"],
            ]));
        return buffer.ToArray();
    }

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Percent(decimal share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
