using System.Text;
using Ingest.Core.Organisations;
using Ingest.Documents.Exports;
using Ingest.Documents.Forms;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;

namespace Ingest.Documents.Claims;

/// <summary>The claims file a school or bureau fills: a row per item of each school, the columns to fill left blank.</summary>
public static class ClaimsTemplate
{
    public static IReadOnlyList<string[]> Rows(Rubric rubric, IEnumerable<Organisation> schools) =>
        schools.SelectMany(s => PrintedItems.Of(rubric).Select(l => new[]
        {
            s.Code, s.Name, l.Number, l.Text, RaterText.Score(l.Points), string.Empty, string.Empty, string.Empty, string.Empty,
        })).ToArray();

    /// <summary>CSV text: the header, then the rows; text a spreadsheet would read as a formula is neutralised.</summary>
    public static string Csv(IReadOnlyList<string[]> rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows.Prepend(ClaimsFile.Columns.ToArray()))
        {
            text.AppendJoin(',', row.Select(c => ScoresheetExports.Quote(ScoresheetExports.Neutralise(c)))).Append("\r\n");
        }

        return text.ToString();
    }

    /// <summary>The same rows as a workbook with one sheet (学校自评), every cell text.</summary>
    public static void WriteWorkbook(Stream stream, IReadOnlyList<string[]> rows)
    {
        var sheet = new XSheet("学校自评");
        for (var c = 0; c < ClaimsFile.Columns.Count; c++)
        {
            sheet.Set(1, c + 1, ClaimsFile.Columns[c]);
        }

        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < rows[r].Length; c++)
            {
                sheet.Set(r + 2, c + 1, rows[r][c].Length == 0 ? null : ScoresheetExports.Neutralise(rows[r][c]));
            }
        }

        Xlsx.Write(stream, sheet);
    }
}
