using System.Buffers.Binary;
using System.IO.Compression;
using System.Xml;

namespace Ingest.Documents.Uploads;

/// <summary>The package of an uploaded workbook: its zip directory checked before anything is decompressed, its relationships and sheets, each part opened as forward-only XML through the budget.</summary>
internal static class WorkbookParts
{
    internal const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /// <summary>
    /// Checks the zip's end-of-directory record before the archive is opened: opening reads the whole directory, so a
    /// file naming a million parts is refused from its last bytes. ZIP64 (over 65,535 parts or 4 GB) is never a form.
    /// </summary>
    internal static void CheckDirectory(Stream stream, UploadLimits limits)
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

    internal static List<(string Id, string Type, string Target)> Targets(Dictionary<string, ZipArchiveEntry> parts, ReadBudget budget, string relsPath)
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

    internal static List<(string Name, string? Id)> SheetList(Dictionary<string, ZipArchiveEntry> parts, ReadBudget budget, string workbookPath)
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

    internal static string? FirstIdAttribute(XmlReader xml)
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

    internal static string RelsOf(string part)
    {
        var slash = part.LastIndexOf('/');
        return slash < 0 ? "_rels/" + part + ".rels" : part[..(slash + 1)] + "_rels/" + part[(slash + 1)..] + ".rels";
    }

    internal static string Resolve(string source, string target)
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

    internal static XmlReader Open(ZipArchiveEntry entry, ReadBudget budget) =>
        XmlReader.Create(new BudgetStream(entry.Open(), budget), new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreWhitespace = true,
            IgnoreProcessingInstructions = true,
            CloseInput = true,
        });
}
