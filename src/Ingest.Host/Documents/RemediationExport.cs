using Ingest.Application.Remediation;
using Ingest.Core.Remediation;
using Ingest.Documents.Forms;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;

namespace Ingest.Host.Documents;

/// <summary>A county's 整改 items as one workbook: overdue ones first, then by deadline; a sheet of the overdue alone.</summary>
public static class RemediationExport
{
    public static byte[] Workbook(CountyRemediation county)
    {
        ArgumentNullException.ThrowIfNull(county);
        string[] header = ["学校", "学校标识码", "指标", "问题", "可恢复（分）", "截止日期", "状态", "逾期", "学校说明", "附件", "提交人", "提交时间", "核实意见", "核实人", "核实时间", "数据已达标"];
        var ordered = county.Items.OrderByDescending(i => i.OverdueOn(county.Today)).ThenBy(i => i.Deadline).ThenBy(i => i.OrgCode, StringComparer.Ordinal).ToArray();
        using var buffer = new MemoryStream();
        Xlsx.Write(buffer,
            ProgrammeReportExport.Sheet("整改清单", [header, .. ordered.Select(i => Row(i, county.Today))]),
            ProgrammeReportExport.Sheet("逾期", [header, .. county.Overdue.Select(i => Row(i, county.Today))]),
            ProgrammeReportExport.Sheet("说明",
            [
                ["县（区）", $"{county.CountyName}（{county.CountyCode}）"],
                ["统计日期", county.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)],
                ["逾期", "截止日期已过，学校尚未提交（待整改）或被退回后尚未重新提交的整改项"],
                ["数据已达标", "网上采集的数据在之后的采集批次中已达到该指标满分的要求；仍须教育局核实后关闭"],
            ]));
        return buffer.ToArray();
    }

    private static string[] Row(RemediationItem i, DateOnly today) =>
    [
        i.OrgName, i.OrgCode, PrintedItems.Number(i.Target), i.Problem, RaterText.Score(i.Recovers), i.Deadline.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        i.Status, i.OverdueOn(today) ? "逾期" : string.Empty, i.SubmitNote ?? string.Empty, i.SubmitFile?.FileName ?? string.Empty, i.SubmittedBy ?? string.Empty,
        i.SubmittedAt is { } s ? Web.PageText.Time(s) : string.Empty, i.VerifyNote ?? string.Empty, i.VerifiedBy ?? string.Empty,
        i.VerifiedAt is { } v ? Web.PageText.Time(v) : string.Empty,
        i.DataMetRun is { } run ? $"采集批次 {run}：{i.DataMetFigure}" : string.Empty,
    ];
}
