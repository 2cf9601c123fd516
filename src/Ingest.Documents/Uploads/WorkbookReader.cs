using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace Ingest.Documents.Uploads;

/// <summary>
/// Reads the cells of one sheet of an uploaded .xlsx as text, streaming and within <see cref="UploadLimits"/>: the zip's
/// directory is checked before anything is decompressed (parts, declared sizes), every part is decompressed through one
/// shared byte budget (a part that lies about its size stops at the budget), XML is read forward only with DTDs
/// refused, and every cell reference is checked against Excel's own range and the form's columns before a cell is kept.
/// Accepts what Excel, WPS and LibreOffice save: shared strings, inline strings, numbers, booleans, cached formula values.
/// </summary>
public static class WorkbookReader
{
    private const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /// <summary>
    /// The cells of sheet <paramref name="sheetName"/> (the first sheet when null) keyed by (row, column), 1-based, empty
    /// cells left out; null when the workbook has no such sheet.
    /// </summary>
    /// <exception cref="UploadRefusedException">The file is not a workbook, or is beyond a limit; the message says which.</exception>
    public static Dictionary<(int Row, int Column), string>? Read(Stream stream, string? sheetName, UploadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        limits ??= new UploadLimits();
        if (!stream.CanSeek)
        {
            // The request body is already bounded in bytes by the server; the zip directory is read from its end.
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            stream = copy;
        }

        CheckDirectory(stream, limits);
        stream.Position = 0;
        var budget = new Budget(limits);
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            var parts = new Dictionary<string, ZipArchiveEntry>(StringComparer.OrdinalIgnoreCase);
            long declared = 0;
            foreach (var entry in zip.Entries)
            {
                parts.TryAdd(entry.FullName.TrimStart('/'), entry);
                declared += entry.Length;
            }

            if (declared > limits.MaxUncompressedBytes)
            {
                throw new UploadRefusedException($"解压后共 {Megabytes(declared)}，超过上限 {Megabytes(limits.MaxUncompressedBytes)}，不像是填好的表格");
            }

            var workbookPath = Targets(parts, budget, "_rels/.rels").FirstOrDefault(r => r.Type.EndsWith("/officeDocument", StringComparison.Ordinal)).Target
                ?? "xl/workbook.xml";
            if (!parts.ContainsKey(workbookPath))
            {
                throw new UploadRefusedException("是压缩文件，但不是 Excel 工作簿（.xlsx）：缺少工作簿部件");
            }

            var sheets = SheetList(parts, budget, workbookPath);
            var rels = Targets(parts, budget, RelsOf(workbookPath));
            var sheet = sheets.FirstOrDefault(s => sheetName is null || s.Name == sheetName);
            if (sheet.Id is null)
            {
                return null;
            }

            var sheetPath = rels.FirstOrDefault(r => r.Id == sheet.Id).Target;
            if (sheetPath is null || !parts.TryGetValue(sheetPath, out var sheetPart))
            {
                throw new UploadRefusedException($"工作表“{sheet.Name}”的内容缺失，工作簿已损坏");
            }

            var sharedPath = rels.FirstOrDefault(r => r.Type.EndsWith("/sharedStrings", StringComparison.Ordinal)).Target;
            var shared = sharedPath is not null && parts.TryGetValue(sharedPath, out var sharedPart) ? SharedStrings(sharedPart, budget) : [];
            return Cells(sheetPart, sheet.Name, shared, budget);
        }
        catch (InvalidDataException)
        {
            throw new UploadRefusedException("不是可读的 Excel 工作簿（.xlsx）：压缩数据已损坏");
        }
        catch (XmlException e)
        {
            throw new UploadRefusedException($"不是可读的 Excel 工作簿（.xlsx）：其中的 XML 无效（第 {e.LineNumber} 行）");
        }
    }

    /// <summary>
    /// Checks the zip's end-of-directory record before the archive is opened: opening reads the whole directory, so a
    /// file naming a million parts is refused from its last bytes. ZIP64 (over 65,535 parts or 4 GB) is never a form.
    /// </summary>
    private static void CheckDirectory(Stream stream, UploadLimits limits)
    {
        var length = stream.Length;
        if (length == 0)
        {
            throw new UploadRefusedException("文件是空的（0 字节）");
        }

        if (length < 22)
        {
            throw new UploadRefusedException("不是 Excel 工作簿（.xlsx）：文件太短");
        }

        var tail = new byte[(int)Math.Min(length, 22 + 65_535)];
        stream.Position = length - tail.Length;
        stream.ReadExactly(tail);
        for (var i = tail.Length - 22; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) != 0x06054b50)
            {
                continue;
            }

            int entries = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(i + 10));
            if (entries == 0xFFFF || BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i + 16)) == 0xFFFFFFFF)
            {
                throw new UploadRefusedException("是 ZIP64 压缩文件，不是 Excel 保存的工作簿");
            }

            if (entries > limits.MaxParts)
            {
                throw new UploadRefusedException($"含 {entries} 个部件，超过上限 {limits.MaxParts}，不是填报用的工作簿");
            }

            return;
        }

        throw new UploadRefusedException("不是 Excel 工作簿（.xlsx）：压缩文件目录缺失或已损坏");
    }

    private static List<(string Id, string Type, string Target)> Targets(Dictionary<string, ZipArchiveEntry> parts, Budget budget, string relsPath)
    {
        var found = new List<(string, string, string)>();
        if (!parts.TryGetValue(relsPath, out var entry))
        {
            return found;
        }

        var source = relsPath.Replace("_rels/", string.Empty, StringComparison.Ordinal)[..^".rels".Length];
        using var xml = Open(entry, budget);
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "Relationship"
                && xml.GetAttribute("Id") is { } id && xml.GetAttribute("Target") is { } target && xml.GetAttribute("TargetMode") != "External")
            {
                found.Add((id, xml.GetAttribute("Type") ?? string.Empty, Resolve(source, target)));
                budget.Count(1);
            }
        }

        return found;
    }

    private static List<(string Name, string? Id)> SheetList(Dictionary<string, ZipArchiveEntry> parts, Budget budget, string workbookPath)
    {
        var sheets = new List<(string, string?)>();
        using var xml = Open(parts[workbookPath], budget);
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "sheet")
            {
                sheets.Add((xml.GetAttribute("name") ?? string.Empty, xml.GetAttribute("id", Relationships) ?? FirstIdAttribute(xml)));
                budget.Count(1);
            }
        }

        return sheets;
    }

    private static string? FirstIdAttribute(XmlReader xml)
    {
        // Strict Open XML names the relationship namespace otherwise; the attribute is still r:id.
        for (var i = 0; i < xml.AttributeCount; i++)
        {
            xml.MoveToAttribute(i);
            if (xml.LocalName == "id" && xml.NamespaceURI.Length > 0)
            {
                var value = xml.Value;
                xml.MoveToElement();
                return value;
            }
        }

        xml.MoveToElement();
        return null;
    }

    private static string[] SharedStrings(ZipArchiveEntry entry, Budget budget)
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
    private static string Text(XmlReader xml)
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
    private const int MaxCellCharacters = 32_767;

    /// <summary>
    /// Appends the text of the element the reader is on and moves past its end, in chunks, refusing a cell beyond Excel's
    /// 32,767 characters before it is held: one text node must not become a string the size of the budget.
    /// </summary>
    private static StringBuilder AppendContent(XmlReader xml, StringBuilder text)
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

    private static Dictionary<(int Row, int Column), string> Cells(ZipArchiveEntry entry, string sheetName, string[] shared, Budget budget)
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

    private static void CheckRow(int row, UploadLimits limits, string sheetName)
    {
        if (row > limits.MaxRows)
        {
            throw new UploadRefusedException($"工作表“{sheetName}”有第 {row} 行，超过本表的行数上限 {limits.MaxRows}");
        }
    }

    /// <summary>The text of the cell the reader is on: its cached value (a formula's result, never the formula) or its inline string.</summary>
    private static string? Value(XmlReader xml, string? type, string[] shared)
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

    private static int RowNumber(string text, string sheetName) =>
        text.Length is > 0 and <= 7 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var row) && row is >= 1 and <= UploadLimits.ExcelRows
            ? row
            : throw new UploadRefusedException($"工作表“{sheetName}”的行号“{Shorten(text)}”超出 Excel 的范围（1～{UploadLimits.ExcelRows}）");

    /// <summary>Row and column of an A1 reference, refused beyond XFD1048576 before any number can overflow.</summary>
    private static (int Row, int Column) Reference(string reference, string sheetName)
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

    private static string Shorten(string text) => text.Length <= 20 ? text : text[..20] + "…";

    private static string ColumnLetters(int column)
    {
        var letters = string.Empty;
        for (var c = column; c > 0; c = (c - 1) / 26)
        {
            letters = (char)('A' + ((c - 1) % 26)) + letters;
        }

        return letters;
    }

    private static string Megabytes(long bytes) => (bytes / 1024d / 1024d).ToString("0.#", CultureInfo.InvariantCulture) + " MB";

    private static string RelsOf(string part)
    {
        var slash = part.LastIndexOf('/');
        return slash < 0 ? "_rels/" + part + ".rels" : part[..(slash + 1)] + "_rels/" + part[(slash + 1)..] + ".rels";
    }

    private static string Resolve(string source, string target)
    {
        if (target.StartsWith('/'))
        {
            return target.TrimStart('/');
        }

        var slash = source.LastIndexOf('/');
        var segments = new List<string>(slash < 0 ? [] : source[..slash].Split('/'));
        foreach (var segment in target.Split('/'))
        {
            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }
            }
            else if (segment is not ("." or ""))
            {
                segments.Add(segment);
            }
        }

        return string.Join('/', segments);
    }

    private static XmlReader Open(ZipArchiveEntry entry, Budget budget) =>
        XmlReader.Create(new BudgetStream(entry.Open(), budget), new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreWhitespace = true,
            IgnoreProcessingInstructions = true,
            CloseInput = true,
        });

    /// <summary>What reading one workbook may still use: decompressed bytes, cells and time, shared by its parts.</summary>
    private sealed class Budget(UploadLimits limits)
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private long bytes;
        private int items;

        public UploadLimits Limits { get; } = limits;

        public void Take(int n)
        {
            bytes += n;
            if (bytes > Limits.MaxUncompressedBytes)
            {
                throw new UploadRefusedException($"解压后超过 {Megabytes(Limits.MaxUncompressedBytes)}，不像是填好的表格（可能是压缩炸弹）");
            }

            CheckTime();
        }

        public void Count(int n)
        {
            items += n;
            if (items > Limits.MaxCells)
            {
                throw new UploadRefusedException($"单元格超过 {Limits.MaxCells} 个，超过上限");
            }

            if ((items & 0xFFF) == 0)
            {
                CheckTime();
            }
        }

        private void CheckTime()
        {
            if (clock.Elapsed > Limits.MaxReadTime)
            {
                throw new UploadRefusedException($"读取超过 {Limits.MaxReadTime.TotalSeconds:0} 秒仍未读完，已停止");
            }
        }
    }

    /// <summary>A part's decompressed bytes, counted against the workbook's budget as they are read.</summary>
    private sealed class BudgetStream(Stream inner, Budget budget) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            budget.Take(n);
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
