using System.Globalization;
using System.Text;
using System.Xml;

namespace Ingest.Documents.Uploads;

internal static partial class SheetCells
{
    internal static void CheckRow(int row, UploadLimits limits, string sheetName)
    {
        if (row > limits.MaxRows)
        {
            throw new UploadRefusedException($"工作表“{sheetName}”有第 {row} 行，超过本表的行数上限 {limits.MaxRows}");
        }
    }

    /// <summary>The text of the cell the reader is on: its cached value (a formula's result, never the formula) or its inline string.</summary>
    internal static string? Value(XmlReader xml, string? type, string[] shared)
    {
        string? raw = null;
        string? inline = null;
        using (var inner = xml.ReadSubtree())
        {
            inner.Read();
            while (!inner.EOF)
            {
                if (inner.NodeType == XmlNodeType.Element && inner.LocalName == "v")
                {
                    raw = AppendContent(inner, new StringBuilder()).ToString();
                }
                else if (inner.NodeType == XmlNodeType.Element && inner.LocalName == "is")
                {
                    inline = Text(inner);
                    inner.Read();
                }
                else
                {
                    inner.Read();
                }
            }
        }

        return type switch
        {
            "s" => int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < shared.Length ? shared[i] : null,
            "inlineStr" => inline,
            "b" => raw == "1" ? "TRUE" : raw is null ? null : "FALSE",
            _ => raw,
        };
    }

    internal static int RowNumber(string text, string sheetName) =>
        text.Length is > 0 and <= 7 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var row) && row is >= 1 and <= UploadLimits.ExcelRows
            ? row
            : throw new UploadRefusedException($"工作表“{sheetName}”的行号“{Shorten(text)}”超出 Excel 的范围（1～{UploadLimits.ExcelRows}）");

    /// <summary>Row and column of an A1 reference, refused beyond XFD1048576 before any number can overflow.</summary>
    internal static (int Row, int Column) Reference(string reference, string sheetName)
    {
        var i = 0;
        var column = 0;
        while (i < reference.Length && i < 4 && char.IsAsciiLetter(reference[i]))
        {
            column = (column * 26) + (char.ToUpperInvariant(reference[i]) - 'A' + 1);
            i++;
        }

        var digits = reference.AsSpan(i);
        if (i is 0 or > 3 || column > UploadLimits.ExcelColumns || digits.Length is 0 or > 7
            || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var row) || row is < 1 or > UploadLimits.ExcelRows)
        {
            throw new UploadRefusedException($"工作表“{sheetName}”的单元格引用“{Shorten(reference)}”超出 Excel 的范围（最大为 XFD{UploadLimits.ExcelRows}）");
        }

        return (row, column);
    }

    internal static string Shorten(string text) => text.Length <= 20 ? text : text[..20] + "…";

    internal static string ColumnLetters(int column)
    {
        var letters = string.Empty;
        for (var c = column; c > 0; c = (c - 1) / 26)
        {
            letters = (char)('A' + ((c - 1) % 26)) + letters;
        }

        return letters;
    }
}
