using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Ingest.Documents.Forms;

/// <summary>The cell styles the forms use, by index into <see cref="Xlsx"/>'s stylesheet.</summary>
public enum XStyle : uint
{
    Default = 0,
    Title = 1,
    Header = 2,
    Text = 3,
    Center = 4,
    Input = 5,
    Plain = 6,
    InputText = 7,
    Label = 8,
    Subtitle = 9,
    Caption = 10,
}

/// <summary>One worksheet being written: cells, merges, column widths, row heights, print setup and protection.</summary>
public sealed class XSheet(string name)
{
    public string Name { get; } = name;

    public SortedDictionary<int, SortedDictionary<int, (object? Value, XStyle Style)>> Cells { get; } = [];

    public List<string> Merges { get; } = [];

    public Dictionary<int, double> Widths { get; } = [];

    public Dictionary<int, double> Heights { get; } = [];

    /// <summary>Rows repeated at the top of every printed page (1-based, inclusive), or null.</summary>
    public (int First, int Last)? PrintTitleRows { get; set; }

    /// <summary>Protect the sheet: only <see cref="XStyle.Input"/> and <see cref="XStyle.InputText"/> cells can be typed in.</summary>
    public bool Protect { get; set; }

    /// <summary>Fit the printout to one page (the 认定表), else to the page width only (long lists).</summary>
    public bool FitOnePage { get; set; }

    /// <summary>Sets a cell (1-based row and column).</summary>
    public XSheet Set(int row, int column, object? value, XStyle style = XStyle.Text)
    {
        if (!Cells.TryGetValue(row, out var cells))
        {
            Cells[row] = cells = [];
        }

        cells[column] = (value, style);
        return this;
    }

    /// <summary>Sets the first cell of a range, styles the rest alike (so borders print) and merges it.</summary>
    public XSheet Merge(int row, int column, int lastRow, int lastColumn, object? value, XStyle style = XStyle.Text)
    {
        for (var r = row; r <= lastRow; r++)
        {
            for (var c = column; c <= lastColumn; c++)
            {
                Set(r, c, r == row && c == column ? value : null, style);
            }
        }

        if (lastRow > row || lastColumn > column)
        {
            Merges.Add($"{Xlsx.Ref(row, column)}:{Xlsx.Ref(lastRow, lastColumn)}");
        }

        return this;
    }
}

/// <summary>
/// Writes and reads the .xlsx forms with the Open XML SDK: what MiniExcel cannot write (merged cells, borders, widths,
/// A4 print setup, print titles, protected cells) official forms need. Reading accepts what Excel, WPS and LibreOffice
/// save: shared strings, inline strings and numbers.
/// </summary>
public static class Xlsx
{
    public static void Write(Stream stream, params XSheet[] sheets)
    {
        using var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook);
        var workbookPart = document.AddWorkbookPart();
        workbookPart.Workbook = new Workbook();
        workbookPart.AddNewPart<WorkbookStylesPart>().Stylesheet = Styles();
        var sheetList = workbookPart.Workbook.AppendChild(new Sheets());
        var names = new DefinedNames();
        for (var i = 0; i < sheets.Length; i++)
        {
            var sheet = sheets[i];
            var part = workbookPart.AddNewPart<WorksheetPart>();
            part.Worksheet = Worksheet(sheet);
            sheetList.Append(new Sheet { Id = workbookPart.GetIdOfPart(part), SheetId = (uint)(i + 1), Name = sheet.Name });
            if (sheet.PrintTitleRows is { } t)
            {
                names.Append(new DefinedName($"'{sheet.Name}'!${t.First}:${t.Last}") { Name = "_xlnm.Print_Titles", LocalSheetId = (uint)i });
            }
        }

        if (names.HasChildren)
        {
            workbookPart.Workbook.Append(names);
        }

        workbookPart.Workbook.Save();
    }

    /// <summary>
    /// The cells of sheet <paramref name="name"/> (the first sheet when null) as text keyed by (row, column), 1-based; null
    /// when the workbook has no such sheet.
    /// </summary>
    public static Dictionary<(int Row, int Column), string>? Read(Stream stream, string? name) => Ingest.Documents.Uploads.WorkbookReader.Read(stream, name);

    /// <summary>The merged ranges and the print setup of a sheet, for checking a form as issued.</summary>
    public static (IReadOnlyList<string> Merges, PageSetup? Page, string? PrintTitles) Layout(Stream stream, string name)
    {
        using var document = SpreadsheetDocument.Open(stream, false);
        var workbookPart = document.WorkbookPart!;
        var sheets = workbookPart.Workbook.Sheets!.Elements<Sheet>().ToList();
        var index = sheets.FindIndex(s => s.Name == name);
        var part = (WorksheetPart)workbookPart.GetPartById(sheets[index].Id!.Value!);
        var merges = part.Worksheet.Descendants<MergeCell>().Select(m => m.Reference!.Value!).ToArray();
        var page = part.Worksheet.Descendants<PageSetup>().FirstOrDefault()?.CloneNode(true) as PageSetup;
        var titles = workbookPart.Workbook.DefinedNames?.Elements<DefinedName>()
            .FirstOrDefault(d => d.Name == "_xlnm.Print_Titles" && d.LocalSheetId?.Value == (uint)index)?.Text;
        return (merges, page, titles);
    }

    /// <summary>A1-style reference of a 1-based row and column.</summary>
    public static string Ref(int row, int column)
    {
        var letters = string.Empty;
        for (var c = column; c > 0; c = (c - 1) / 26)
        {
            letters = (char)('A' + ((c - 1) % 26)) + letters;
        }

        return letters + row.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The column letters of a 1-based column.</summary>
    public static string ColumnLetters(int column) => Ref(1, column)[..^1];

    private static Worksheet Worksheet(XSheet sheet)
    {
        var worksheet = new Worksheet();
        worksheet.Append(new SheetProperties(new PageSetupProperties { FitToPage = true }));
        if (sheet.Widths.Count > 0)
        {
            worksheet.Append(new Columns(sheet.Widths.OrderBy(w => w.Key).Select(w =>
                new Column { Min = (uint)w.Key, Max = (uint)w.Key, Width = w.Value, CustomWidth = true })));
        }

        var data = new SheetData();
        foreach (var (r, cells) in sheet.Cells)
        {
            var row = new Row { RowIndex = (uint)r };
            if (sheet.Heights.TryGetValue(r, out var height))
            {
                row.Height = height;
                row.CustomHeight = true;
            }

            foreach (var (c, (value, style)) in cells)
            {
                row.Append(CellOf(Ref(r, c), value, style));
            }

            data.Append(row);
        }

        worksheet.Append(data);
        if (sheet.Protect)
        {
            // No password: the protection keeps a rater from typing over read-only cells by mistake, not a lock.
            worksheet.Append(new SheetProtection { Sheet = true, Objects = true, Scenarios = true, FormatColumns = false, FormatRows = false });
        }

        if (sheet.Merges.Count > 0)
        {
            worksheet.Append(new MergeCells(sheet.Merges.Select(m => new MergeCell { Reference = m })));
        }

        worksheet.Append(new PrintOptions { HorizontalCentered = true });
        worksheet.Append(new PageMargins { Left = 0.5, Right = 0.5, Top = 0.6, Bottom = 0.6, Header = 0.3, Footer = 0.3 });
        worksheet.Append(new PageSetup
        {
            PaperSize = 9, // A4
            Orientation = OrientationValues.Portrait,
            FitToWidth = 1,
            FitToHeight = sheet.FitOnePage ? 1u : 0u,
        });
        return worksheet;
    }

    private static Cell CellOf(string reference, object? value, XStyle style)
    {
        var cell = new Cell { CellReference = reference, StyleIndex = (uint)style };
        switch (value)
        {
            case null:
                break;
            case decimal d:
                cell.CellValue = new CellValue(d.ToString("0.############", CultureInfo.InvariantCulture));
                cell.DataType = CellValues.Number;
                break;
            case int n:
                cell.CellValue = new CellValue(n.ToString(CultureInfo.InvariantCulture));
                cell.DataType = CellValues.Number;
                break;
            default:
                cell.DataType = CellValues.InlineString;
                cell.InlineString = new InlineString(new Text(Convert.ToString(value, CultureInfo.InvariantCulture)!) { Space = SpaceProcessingModeValues.Preserve });
                break;
        }

        return cell;
    }

    private static Stylesheet Styles()
    {
        static Font Font(double size, bool bold)
        {
            var font = new Font();
            if (bold)
            {
                font.Append(new Bold());
            }

            font.Append(new FontSize { Val = size }, new FontName { Val = "宋体" });
            return font;
        }

        var fonts = new Fonts(Font(11, false), Font(16, true), Font(11, true), Font(12, true));
        var fills = new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
            new Fill(new PatternFill(new ForegroundColor { Rgb = "FFE7E6E6" }) { PatternType = PatternValues.Solid }),
            new Fill(new PatternFill(new ForegroundColor { Rgb = "FFFFF2CC" }) { PatternType = PatternValues.Solid }));
        var thin = new Border(
            new LeftBorder { Style = BorderStyleValues.Thin }, new RightBorder { Style = BorderStyleValues.Thin },
            new TopBorder { Style = BorderStyleValues.Thin }, new BottomBorder { Style = BorderStyleValues.Thin }, new DiagonalBorder());
        var borders = new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder()), thin);

        static CellFormat Format(uint font, uint fill, uint border, HorizontalAlignmentValues h, VerticalAlignmentValues v, bool locked = true) =>
            new(new Alignment { Horizontal = h, Vertical = v, WrapText = true }, new Protection { Locked = locked })
            {
                FontId = font, FillId = fill, BorderId = border, ApplyFont = true, ApplyFill = true, ApplyBorder = true, ApplyAlignment = true, ApplyProtection = true,
            };
        var formats = new CellFormats(
            new CellFormat(),
            Format(1, 0, 0, HorizontalAlignmentValues.Center, VerticalAlignmentValues.Center),
            Format(2, 2, 1, HorizontalAlignmentValues.Center, VerticalAlignmentValues.Center),
            Format(0, 0, 1, HorizontalAlignmentValues.Left, VerticalAlignmentValues.Center),
            Format(0, 0, 1, HorizontalAlignmentValues.Center, VerticalAlignmentValues.Center),
            Format(0, 3, 1, HorizontalAlignmentValues.Center, VerticalAlignmentValues.Center, locked: false),
            Format(0, 0, 0, HorizontalAlignmentValues.Left, VerticalAlignmentValues.Center),
            Format(0, 3, 1, HorizontalAlignmentValues.Left, VerticalAlignmentValues.Center, locked: false),
            Format(2, 0, 1, HorizontalAlignmentValues.Center, VerticalAlignmentValues.Center),
            Format(3, 0, 0, HorizontalAlignmentValues.Left, VerticalAlignmentValues.Center),
            Format(0, 0, 0, HorizontalAlignmentValues.Center, VerticalAlignmentValues.Center));
        return new Stylesheet(fonts, fills, borders, formats);
    }

    /// <summary>A row height that shows <paramref name="text"/> wrapped in a cell <paramref name="width"/> characters wide (a Chinese character takes two).</summary>
    public static double HeightFor(string? text, double width, double line = 15)
    {
        if (string.IsNullOrEmpty(text))
        {
            return line + 3;
        }

        var lines = text.Split('\n').Sum(part => Math.Max(1, Math.Ceiling(part.Sum(ch => ch > 0x2E80 ? 2.1 : 1.1) / Math.Max(1, width - 1))));
        return (lines * line) + 4;
    }
}
