using System.IO.Compression;
using System.Text;
using System.Xml;
using static Ingest.Documents.Uploads.WorkbookParts;

namespace Ingest.Documents.Uploads;

/// <summary>A sheet's cells as text: shared and inline strings, numbers, booleans and cached formula values, each reference checked against Excel's range and the form's columns.</summary>
internal static partial class SheetCells
{
    internal static string[] SharedStrings(ZipArchiveEntry entry, ReadBudget budget)
    {
        var strings = new List<string>();
        using var xml = Open(entry, budget);
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "si")
            {
                budget.Count(1);
                strings.Add(xml.IsEmptyElement ? string.Empty : Text(xml));
            }
        }

        return [.. strings];
    }

    /// <summary>The text of the element the reader is on (a shared string or an inline string): its t elements, phonetic runs left out.</summary>
    internal static string Text(XmlReader xml)
    {
        var text = new StringBuilder();
        using var inner = xml.ReadSubtree();
        inner.Read();
        while (!inner.EOF)
        {
            if (inner.NodeType == XmlNodeType.Element && inner.LocalName == "rPh")
            {
                inner.Skip();
            }
            else if (inner.NodeType == XmlNodeType.Element && inner.LocalName == "t")
            {
                AppendContent(inner, text);
            }
            else
            {
                inner.Read();
            }
        }

        return text.ToString();
    }

    /// <summary>Excel's own limit on what one cell holds.</summary>
    internal const int MaxCellCharacters = 32_767;

    /// <summary>
    /// Appends the text of the element the reader is on and moves past its end, in chunks, refusing a cell beyond Excel's
    /// 32,767 characters before it is held: one text node must not become a string the size of the budget.
    /// </summary>
    internal static StringBuilder AppendContent(XmlReader xml, StringBuilder text)
    {
        if (xml.IsEmptyElement)
        {
            xml.Read();
            return text;
        }

        var depth = xml.Depth;
        var chunk = new char[4096];
        xml.Read();
        while (!(xml.Depth == depth && xml.NodeType == XmlNodeType.EndElement) && !xml.EOF)
        {
            if (xml.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
            {
                int n;
                while ((n = xml.ReadValueChunk(chunk, 0, chunk.Length)) > 0)
                {
                    if (text.Length + n > MaxCellCharacters)
                    {
                        throw new UploadRefusedException($"有单元格超过 Excel 的 {MaxCellCharacters} 个字符上限");
                    }

                    text.Append(chunk, 0, n);
                }
            }

            xml.Read();
        }

        xml.Read();
        return text;
    }

    internal static Dictionary<(int Row, int Column), string> Cells(ZipArchiveEntry entry, string sheetName, string[] shared, ReadBudget budget)
    {
        var cells = new Dictionary<(int, int), string>();
        var limits = budget.Limits;
        using var xml = Open(entry, budget);
        var row = 0;
        var column = 0;
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (xml.LocalName == "row")
            {
                var r = xml.GetAttribute("r");
                row = r is null ? row + 1 : RowNumber(r, sheetName);
                column = 0;
                CheckRow(row, limits, sheetName);
                continue;
            }

            if (xml.LocalName != "c")
            {
                continue;
            }

            budget.Count(1);
            var reference = xml.GetAttribute("r");
            if (reference is null)
            {
                column++;
            }
            else
            {
                (var cellRow, column) = Reference(reference, sheetName);
                if (cellRow != row)
                {
                    row = cellRow;
                    CheckRow(row, limits, sheetName);
                }
            }

            var type = xml.GetAttribute("t");
            var value = xml.IsEmptyElement ? null : Value(xml, type, shared);
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            if (column > limits.MaxColumns)
            {
                throw new UploadRefusedException(
                    $"工作表“{sheetName}”单元格 {ColumnLetters(column)}{row}：超出本表的 {limits.MaxColumns} 列（最后一列为 {ColumnLetters(limits.MaxColumns)}）");
            }

            cells[(row, column)] = value;
        }

        return cells;
    }
}
