using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Ingest.Documents.Forms;

public static partial class Xlsx
{
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
                FontId = font,
                FillId = fill,
                BorderId = border,
                ApplyFont = true,
                ApplyFill = true,
                ApplyBorder = true,
                ApplyAlignment = true,
                ApplyProtection = true,
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
