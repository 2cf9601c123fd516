using System.IO.Compression;
using System.Text;
using Ingest.Core.Evidence;

namespace Ingest.Documents.Uploads;

/// <summary>
/// What an uploaded 佐证材料 file is, judged from its bytes and never from its name: a PDF, a JPEG or PNG image, a Word
/// .docx or an Excel .xlsx. Hostile until read: an executable, a macro-enabled or object-carrying Office package, a PDF
/// with script or launch actions, or anything else is refused with the reason; an Office package's directory is
/// bounded in parts and unpacked bytes before any part is opened.
/// </summary>
public static class EvidenceType
{
    private const int MaxParts = 2_000;
    private const long MaxUnpacked = 200L * 1024 * 1024;

    /// <summary>Names inside a PDF that run something when it is opened.</summary>
    private static readonly string[] ActivePdf = ["/JavaScript", "/JS ", "/JS(", "/JS<", "/Launch", "/EmbeddedFile", "/RichMedia"];

    /// <summary>Extensions of programs and scripts that have no place inside a document.</summary>
    private static readonly string[] Programs = [".exe", ".dll", ".com", ".bat", ".cmd", ".scr", ".msi", ".ps1", ".vbs", ".js", ".jar", ".sh"];

    /// <exception cref="UploadRefusedException">Empty, executable, or not one of the kinds accepted.</exception>
    public static EvidenceKind Judge(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0)
        {
            throw new UploadRefusedException("文件是空的（0 字节）");
        }

        if (bytes is [0x4D, 0x5A, ..] or [0x7F, 0x45, 0x4C, 0x46, ..] or [0x23, 0x21, ..] or [0xCF, 0xFA, 0xED, 0xFE, ..] or [0xCA, 0xFE, 0xBA, 0xBE, ..])
        {
            throw new UploadRefusedException("是可执行程序或脚本，不能作为佐证材料上传");
        }

        if (bytes is [0xFF, 0xD8, 0xFF, ..])
        {
            return EvidenceKind.Jpeg;
        }

        if (bytes is [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..])
        {
            return EvidenceKind.Png;
        }

        if (bytes is [0x25, 0x50, 0x44, 0x46, 0x2D, ..])
        {
            // Names are ASCII in a PDF's dictionaries; Latin-1 keeps every byte one character.
            var text = Encoding.Latin1.GetString(bytes);
            if (ActivePdf.FirstOrDefault(a => text.Contains(a, StringComparison.Ordinal)) is { } active)
            {
                throw new UploadRefusedException($"PDF 含有打开时会运行的内容（{active.Trim(' ', '(', '<')}），不能作为佐证材料上传：请另存或打印为普通 PDF 后再传");
            }

            return EvidenceKind.Pdf;
        }

        if (bytes is [0xD0, 0xCF, 0x11, 0xE0, ..])
        {
            throw new UploadRefusedException("是旧版 Office 文件（.doc、.xls）：请在 Word 或 Excel 中另存为 .docx 或 .xlsx 后再传");
        }

        if (bytes is [0x50, 0x4B, 0x03, 0x04, ..])
        {
            return Package(bytes);
        }

        throw new UploadRefusedException("不是 PDF、JPEG 或 PNG 图片、Word 文档（.docx）或 Excel 工作簿（.xlsx）");
    }

    private static EvidenceKind Package(byte[] bytes)
    {
        try
        {
            using var archive = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
            if (archive.Entries.Count > MaxParts || archive.Entries.Sum(e => e.Length) > MaxUnpacked)
            {
                throw new UploadRefusedException("压缩包解压后过大，不是 Word 或 Excel 保存的文档");
            }

            var names = archive.Entries.Select(e => e.FullName).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (names.Any(n => n.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase)))
            {
                throw new UploadRefusedException("含有宏，不能作为佐证材料上传：请另存为不含宏的 .docx 或 .xlsx");
            }

            // An OLE object or ActiveX control can carry a program that runs when it is double-clicked.
            if (names.FirstOrDefault(n => Programs.Any(p => n.EndsWith(p, StringComparison.OrdinalIgnoreCase))
                    || n.Contains("/embeddings/oleObject", StringComparison.OrdinalIgnoreCase) || n.Contains("/activeX/", StringComparison.OrdinalIgnoreCase)) is { } program)
            {
                throw new UploadRefusedException($"内嵌了程序或对象（{Path.GetFileName(program)}），不能作为佐证材料上传");
            }

            if (!names.Contains("[Content_Types].xml"))
            {
                throw new UploadRefusedException("是压缩包，不是 Word 文档（.docx）或 Excel 工作簿（.xlsx）");
            }

            return names.Contains("word/document.xml") ? EvidenceKind.Docx
                : names.Contains("xl/workbook.xml") ? EvidenceKind.Xlsx
                : throw new UploadRefusedException("是 Office 压缩包，但不是 Word 文档（.docx）或 Excel 工作簿（.xlsx）");
        }
        catch (InvalidDataException)
        {
            throw new UploadRefusedException("压缩文件已损坏，无法读取");
        }
    }
}
