using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Ingest.Documents.Forms;

/// <summary>
/// Writes and reads the .xlsx forms with the Open XML SDK: what MiniExcel cannot write (merged cells, borders, widths,
/// A4 print setup, print titles, protected cells) official forms need. Reading accepts what Excel, WPS and LibreOffice
/// save: shared strings, inline strings and numbers.
/// </summary>
public static partial class Xlsx
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

    /// <summary>The data validations of sheet <paramref name="name"/>: each cell with its type and first formula, for checking a form as issued.</summary>
    public static IReadOnlyList<(string Cell, string Type, string? Formula, string? Prompt)> Validations(Stream stream, string name)
    {
        using var document = SpreadsheetDocument.Open(stream, false);
        var workbookPart = document.WorkbookPart!;
        var sheet = workbookPart.Workbook.Sheets!.Elements<Sheet>().First(s => s.Name == name);
        var part = (WorksheetPart)workbookPart.GetPartById(sheet.Id!.Value!);
        return part.Worksheet.Descendants<DataValidation>()
            .Select(v => (v.SequenceOfReferences!.InnerText ?? string.Empty, v.Type!.InnerText ?? string.Empty, v.Formula1?.Text, v.Prompt?.Value)).ToArray();
    }

    /// <summary>Excel's check of one input cell: what it accepts, the message while it is selected, and the one when it refuses.</summary>
    private static DataValidation Validation(XValidation v)
    {
        var validation = new DataValidation
        {
            AllowBlank = true,
            ShowInputMessage = true,
            ShowErrorMessage = true,
            SequenceOfReferences = new ListValue<StringValue> { InnerText = v.Cell },
            PromptTitle = "填写",
            Prompt = v.Prompt,
            ErrorTitle = "填写有误",
            Error = v.Prompt,
        };
        switch (v.Kind)
        {
            case XValidationKind.HalfPoints:
                validation.Type = DataValidationValues.Custom;
                var max = v.Max.ToString(CultureInfo.InvariantCulture);
                validation.Formula1 = new Formula1($"AND(ISNUMBER({v.Cell}),{v.Cell}>=0,{v.Cell}<={max},MOD({v.Cell}*2,1)=0)");
                break;
            case XValidationKind.WholeNumber:
                validation.Type = DataValidationValues.Whole;
                validation.Operator = DataValidationOperatorValues.GreaterThanOrEqual;
                validation.Formula1 = new Formula1("0");
                break;
            case XValidationKind.Text:
                validation.Type = DataValidationValues.TextLength;
                validation.Operator = DataValidationOperatorValues.LessThanOrEqual;
                validation.Formula1 = new Formula1(v.Max.ToString(CultureInfo.InvariantCulture));
                break;
            default:
                validation.Type = DataValidationValues.List;
                validation.Formula1 = new Formula1("\"是,否\"");
                break;
        }

        return validation;
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

        if (sheet.Validations.Count > 0)
        {
            worksheet.Append(new DataValidations(sheet.Validations.Select(Validation)) { Count = (uint)sheet.Validations.Count });
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
}
