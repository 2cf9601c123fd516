using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Ingest.Host.Tests.Scoring;

/// <summary>What a rater does in Excel: types into cells of the 填报表, found by the row's 编号 and the column's header.</summary>
internal static class FormFiller
{
    /// <summary>Sets cells: (编号, header) → text; null empties the cell.</summary>
    public static byte[] Fill(byte[] workbook, IEnumerable<(string Key, string Header, string? Text)> cells)
    {
        using var buffer = new MemoryStream();
        buffer.Write(workbook);
        using (var document = SpreadsheetDocument.Open(buffer, true))
        {
            var part = (WorksheetPart)document.WorkbookPart!.GetPartById(document.WorkbookPart.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == "填报").Id!);
            var rows = part.Worksheet.Descendants<Row>().ToArray();
            var header = rows.Single(r => r.Elements<Cell>().Any(c => c.InnerText == "编号"));
            var columns = header.Elements<Cell>().ToDictionary(c => c.InnerText, c => new string(c.CellReference!.Value!.TakeWhile(char.IsLetter).ToArray()));
            foreach (var (key, name, text) in cells)
            {
                var row = rows.Single(r => r.Elements<Cell>().FirstOrDefault()?.InnerText == key);
                var reference = columns[name] + row.RowIndex!.Value;
                var cell = row.Elements<Cell>().FirstOrDefault(c => c.CellReference == reference);
                if (cell is null)
                {
                    cell = new Cell { CellReference = reference };
                    row.Append(cell);
                }

                cell.RemoveAllChildren();
                cell.CellValue = null;
                cell.DataType = CellValues.InlineString;
                cell.InlineString = new InlineString(new Text(text ?? string.Empty));
            }

            part.Worksheet.Save();
        }

        return buffer.ToArray();
    }
}
