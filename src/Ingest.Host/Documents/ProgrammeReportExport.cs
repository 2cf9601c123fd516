using System.Globalization;
using Ingest.Application.Rating;
using Ingest.Application.Year;
using Ingest.Documents.Exports;
using Ingest.Documents.Forms;

namespace Ingest.Host.Documents;

/// <summary>The programme report as a workbook to hand over: a sheet per rule of the measures, in the report's words.</summary>
public static class ProgrammeReportExport
{
    public static byte[] Workbook(ProgrammeReportView report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var buffer = new MemoryStream();
        Xlsx.Write(buffer,
            Sheet("三星级占比（第十一条）",
            [
                ["县（区）", "县（区）代码", "培育对象", "三星级上限", "三星级", "非三星级", "待定", "结论", "三星级学校"],
                .. report.ThreeStarShare.Select(s => new[]
                {
                    s.CountyName, s.CountyCode, N(s.CultivationSchools), N(s.Allowed), N(s.ThreeStarSchools.Count), N(s.NotThreeStar), N(s.Undecided), s.Verdict,
                    string.Join("、", s.Schools.Where(o => s.ThreeStarSchools.Contains(o.SchoolCode)).Select(o => o.SchoolName)),
                }),
            ]),
            Sheet("四星级通过率（第十五条）",
            [
                ["县（区）", "县（区）代码", "报送的申请", "通过", "待定", "通过率", "结论", "未通过"],
                .. report.FourStarPassRate.Select(p => new[]
                {
                    p.CountyName, p.CountyCode, N(p.Applications), N(p.Passed), N(p.Undecided), p.Rate is { } r ? Percent(r) : "—", p.Verdict, string.Join("、", p.Failed),
                }),
            ]),
            Sheet("四星级及以上占比（第十三条）",
            [
                ["县（区）", "县（区）代码", "学校数", "四星级及以上", "占比", "学校"],
                .. report.FourStarShare.Select(f => new[] { f.CountyName, f.CountyCode, N(f.Schools), N(f.FourStarPlus.Count), Percent(f.Share), string.Join("、", f.FourStarPlus) }),
            ]),
            Sheet("连续三年未晋级（第十四条）",
            [
                ["县（区）", "学校", "学校标识码", "现有星级", "未晋级", "各年星级"],
                .. report.Demotions.Select(d => new[]
                {
                    d.CountyName, d.SchoolName, d.SchoolCode, d.Level, d.Since, string.Join("；", d.Levels.Select(l => $"{l.Year}年 {LevelText.Of(l.Stars)}")),
                }),
            ]),
            Sheet("★项读法",
            [
                [report.Reading],
                ["县（区）", "学校", "学校标识码", "认定栏", "现认定", "另一读法"],
                .. report.ReadingDifferences.Select(d => new[] { d.CountyName, d.SchoolName, d.SchoolCode, d.DecidedBy, d.Level, d.OtherLevel }),
            ]),
            Sheet("说明", [["范围", report.Scope], ["评定周期", report.Cycle], ["依据", report.Basis]]));
        return buffer.ToArray();
    }

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Percent(decimal share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    internal static XSheet Sheet(string name, IReadOnlyList<string[]> rows)
    {
        var sheet = new XSheet(name);
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < rows[r].Length; c++)
            {
                sheet.Set(r + 1, c + 1, rows[r][c].Length == 0 ? null : ScoresheetExports.Neutralise(rows[r][c]), r == 0 && rows[r].Length > 1 ? XStyle.Header : XStyle.Text);
            }
        }

        return sheet;
    }
}
