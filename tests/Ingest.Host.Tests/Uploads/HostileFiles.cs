using System.Buffers.Binary;
using System.IO.Compression;
using System.Security;
using System.Text;

namespace Ingest.Host.Tests.Uploads;

/// <summary>
/// Files an attacker with an ordinary account would upload, built byte by byte: workbooks whose sheet XML is written by
/// hand (a cell at ZZZZZZ1, a row number past int, a part that decompresses to hundreds of megabytes and says it is
/// small), text that is no encoding, and a zip that is no workbook.
/// </summary>
internal static class HostileFiles
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /// <summary>A workbook of sheets given as the XML inside their sheetData, written in order.</summary>
    public static byte[] Workbook(params (string Name, Action<TextWriter> SheetData)[] sheets) => Build(null, sheets);

    /// <summary>A workbook whose sheet declares a document type with an entity that expands a thousandfold per level.</summary>
    public static byte[] EntityExpansion() => Build(
        "<!DOCTYPE worksheet [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>",
        [("Sheet1", w => w.Write("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&c;</t></is></c></row>"))]);

    private static byte[] Build(string? doctype, (string Name, Action<TextWriter> SheetData)[] sheets)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Entry(zip, "[Content_Types].xml", w => w.Write(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                + string.Concat(sheets.Select((_, i) => $"<Override PartName=\"/xl/worksheets/sheet{i + 1}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"))
                + "</Types>"));
            Entry(zip, "_rels/.rels", w => w.Write(
                $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"));
            Entry(zip, "xl/workbook.xml", w => w.Write(
                $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"{Main}\" xmlns:r=\"{Rels}\"><sheets>"
                + string.Concat(sheets.Select((s, i) => $"<sheet name=\"{SecurityElement.Escape(s.Name)}\" sheetId=\"{i + 1}\" r:id=\"rId{i + 1}\"/>"))
                + "</sheets></workbook>"));
            Entry(zip, "xl/_rels/workbook.xml.rels", w => w.Write(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + string.Concat(sheets.Select((_, i) => $"<Relationship Id=\"rId{i + 1}\" Type=\"{Rels}/worksheet\" Target=\"worksheets/sheet{i + 1}.xml\"/>"))
                + "</Relationships>"));
            for (var i = 0; i < sheets.Length; i++)
            {
                var data = sheets[i].SheetData;
                Entry(zip, $"xl/worksheets/sheet{i + 1}.xml", w =>
                {
                    w.Write($"<?xml version=\"1.0\" encoding=\"UTF-8\"?>{doctype}<worksheet xmlns=\"{Main}\"><sheetData>");
                    data(w);
                    w.Write("</sheetData></worksheet>");
                });
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Sheet data of rows of inline strings, each cell with its A1 reference.</summary>
    public static Action<TextWriter> Rows(IEnumerable<string[]> rows) => w =>
    {
        var r = 0;
        foreach (var row in rows)
        {
            r++;
            w.Write($"<row r=\"{r}\">");
            for (var c = 0; c < row.Length; c++)
            {
                if (row[c].Length > 0)
                {
                    w.Write($"<c r=\"{Ref(r, c + 1)}\" t=\"inlineStr\"><is><t>{SecurityElement.Escape(row[c])}</t></is></c>");
                }
            }

            w.Write("</row>");
        }
    };

    /// <summary>A header row, then one cell at <paramref name="reference"/> (ZZZZZZ1, A99999999999).</summary>
    public static Action<TextWriter> CellAt(string[] header, string reference) => w =>
    {
        Rows([header])(w);
        w.Write($"<row><c r=\"{reference}\" t=\"inlineStr\"><is><t>1</t></is></c></row>");
    };

    /// <summary>
    /// A workbook whose only sheet is a header row followed by <paramref name="megabytes"/> MB of blanks (a few hundred
    /// kilobytes compressed); with <paramref name="lie"/>, the zip's directory says the part is 1 KB.
    /// </summary>
    public static byte[] ZipBomb(string[] header, int megabytes, bool lie, string sheet = "Sheet1")
    {
        var blanks = new string(' ', 1024 * 1024);
        var bytes = Workbook((sheet, w =>
        {
            Rows([header])(w);
            for (var i = 0; i < megabytes; i++)
            {
                w.Write(blanks);
            }
        }));
        if (lie)
        {
            Declare(bytes, "xl/worksheets/sheet1.xml", 1024);
        }

        return bytes;
    }

    /// <summary>A zip that holds a text file, not a workbook.</summary>
    public static byte[] ZipOfText()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Entry(zip, "readme.txt", w => w.Write("这不是工作簿"));
        }

        return buffer.ToArray();
    }

    /// <summary>A UTF-8 byte-order mark followed by bytes that are not UTF-8.</summary>
    public static byte[] BomAndGarbage => [0xEF, 0xBB, 0xBF, 0xFF, 0xFE, 0x00, 0x41];

    /// <summary>GB18030 text with a two-byte sequence broken in the middle of a line (0x81 then a comma).</summary>
    public static byte[] BrokenGb18030(string text)
    {
        var good = Ingest.Core.Text.ChineseText.Gb18030.GetBytes(text);
        return [.. good, 0x81, 0x2C, .. Ingest.Core.Text.ChineseText.Gb18030.GetBytes("测试\r\n")];
    }

    public static string Ref(int row, int column)
    {
        var letters = string.Empty;
        for (var c = column; c > 0; c = (c - 1) / 26)
        {
            letters = (char)('A' + ((c - 1) % 26)) + letters;
        }

        return letters + row;
    }

    private static void Entry(ZipArchive zip, string name, Action<TextWriter> write)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
        write(writer);
    }

    /// <summary>Rewrites the uncompressed size the local header and the central directory give for <paramref name="name"/>.</summary>
    private static void Declare(byte[] zip, string name, uint size)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        for (var i = 0; i + 46 < zip.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i));
            if (signature == 0x04034b50 && zip.AsSpan(i + 30, nameBytes.Length).SequenceEqual(nameBytes))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 22), size);
            }
            else if (signature == 0x02014b50 && zip.AsSpan(i + 46, nameBytes.Length).SequenceEqual(nameBytes))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 24), size);
            }
        }
    }
}
