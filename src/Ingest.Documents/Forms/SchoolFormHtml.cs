using Ingest.Scoring.Sheets;

namespace Ingest.Documents.Forms;

/// <summary>The 星级认定表 as a print-styled HTML page (A4 portrait, one page), for the PDF printer.</summary>
public static class SchoolFormHtml
{
    public static string Render(SchoolFormModel form)
    {
        ArgumentNullException.ThrowIfNull(form);
        static string H(string? t) => System.Net.WebUtility.HtmlEncode(t ?? string.Empty);
        static string N(decimal d) => RaterText.Score(d);
        var areas = string.Concat(form.Areas.Select(a =>
            $"<tr><td class=\"name\">{H(a.Name)}</td><td>{N(a.Self)}</td><td>{N(a.Bureau)}</td><td>{N(a.Department)}</td></tr>"));
        // A seal line keeps its date at the right edge, where the form leaves room for the seal above it.
        var lines = string.Concat(form.Lines().Select(l => l.Text.EndsWith(SchoolFormModel.Date, StringComparison.Ordinal)
            ? $"<tr><td colspan=\"5\" class=\"line\" style=\"height:{l.Height * 0.9:0}pt\">{H(l.Text[..^SchoolFormModel.Date.Length].TrimEnd())}"
              + $"<span class=\"date\">{H(SchoolFormModel.Date).Replace(" ", "&nbsp;", StringComparison.Ordinal)}</span></td></tr>"
            : $"<tr><td colspan=\"5\" class=\"line\" style=\"height:{l.Height * 0.9:0}pt\">{H(l.Text)}</td></tr>"));
        return $$"""
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>{{H(form.Title)}} · {{H(form.SchoolName)}}</title>
            <style>
              @page { size: A4 portrait; margin: 16mm 16mm 14mm 16mm; }
              body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", "SimSun", serif; font-size: 11pt; color: #000; margin: 0; }
              h1 { font-size: 17pt; text-align: center; margin: 0 0 4pt 0; }
              p.sub { text-align: center; margin: 0 0 8pt 0; font-size: 10pt; }
              table { width: 100%; border-collapse: collapse; table-layout: fixed; }
              th, td { border: 0.8pt solid #000; padding: 4pt 5pt; text-align: center; vertical-align: middle; height: 20pt; }
              th { font-weight: bold; }
              td.name { text-align: left; }
              th.side { width: 12%; line-height: 1.6; }
              td.line { text-align: left; vertical-align: top; }
              p.remark { margin: 8pt 0 0 0; }
              p.incomplete { margin: 0 0 6pt 0; text-align: center; font-weight: bold; color: #a40000; }
              span.date { float: right; margin-right: 36pt; margin-top: 22pt; }
            </style>
            </head>
            <body>
            <h1>{{H(form.Title)}}</h1>
            <p class="sub">{{H(form.Subtitle)}}</p>
            {{(form.Incomplete is { } incomplete ? $"<p class=\"incomplete\">{H(incomplete)}</p>" : string.Empty)}}
            <table>
              <colgroup><col style="width:12%"><col style="width:34%"><col style="width:18%"><col style="width:18%"><col style="width:18%"></colgroup>
              <tr><th>学校名称</th><td colspan="2">{{H(form.SchoolName)}}</td><th>已获星级</th><td>{{H(form.AchievedStars)}}</td></tr>
              <tr><th>联系人</th><td colspan="2">{{H(form.ContactPerson)}}</td><th>联系方式</th><td>{{H(form.ContactPhone)}}</td></tr>
              <tr><th rowspan="{{form.Areas.Count + 2}}" class="side">评<br>定<br>得<br>分</th><th>项目</th><th>学校自评得分</th><th>教育局评定得分</th><th>教育厅评定得分</th></tr>
              {{areas}}
              <tr><th>合计</th><td>{{N(form.SelfTotal)}}</td><td>{{N(form.BureauTotal)}}</td><td>{{N(form.DepartmentTotal)}}</td></tr>
              {{lines}}
            </table>
            <p class="remark">{{H(form.Remark)}}</p>
            </body>
            </html>
            """;
    }
}
