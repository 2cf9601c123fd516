using System.IO.Compression;
using System.Xml;

using static Ingest.Documents.Uploads.ReadBudgetText;
using static Ingest.Documents.Uploads.SheetCells;
using static Ingest.Documents.Uploads.WorkbookParts;

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
        var budget = new ReadBudget(limits);
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

}
