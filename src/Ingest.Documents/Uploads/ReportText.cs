using System.IO.Compression;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Ingest.Documents.Uploads;

/// <summary>
/// The text of an uploaded report (a county's 汇报): a .txt file (UTF-8 or GB18030, <see cref="UploadText"/>) or a Word
/// .docx, its paragraphs one per line. Hostile until read: the file's bytes, the Word package's parts and their unpacked
/// size are bounded before anything is opened, and anything else is refused with the reason.
/// </summary>
public static class ReportText
{
    /// <summary>The most bytes a report file may have.</summary>
    public const int MaxBytes = 2 * 1024 * 1024;

    private const long MaxUnpacked = 20L * 1024 * 1024;
    private const int MaxParts = 500;

    /// <exception cref="UploadRefusedException">Too large, not a .txt or .docx, or not readable as one.</exception>
    public static string Read(byte[] bytes, string fileName)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(fileName);
        if (bytes.Length == 0)
        {
            throw new UploadRefusedException("文件是空的");
        }

        if (bytes.Length > MaxBytes)
        {
            throw new UploadRefusedException($"文件有 {bytes.Length / 1024} KB，超过 {MaxBytes / 1024 / 1024} MB 的上限");
        }

        var zip = bytes is [0x50, 0x4B, 0x03, 0x04, ..];
        if (fileName.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) && !zip)
        {
            return UploadText.Decode(bytes).Trim();
        }

        if (!fileName.EndsWith(".docx", StringComparison.OrdinalIgnoreCase) || !zip)
        {
            throw new UploadRefusedException("汇报应为文本文件（.txt）或 Word 文档（.docx）");
        }

        try
        {
            using (var archive = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read))
            {
                if (archive.Entries.Count > MaxParts || archive.Entries.Sum(e => e.Length) > MaxUnpacked)
                {
                    throw new UploadRefusedException("Word 文档解压后过大，不予读取");
                }
            }

            using var document = WordprocessingDocument.Open(new MemoryStream(bytes), false);
            var body = document.MainDocumentPart?.Document?.Body ?? throw new UploadRefusedException("Word 文档没有正文");
            return string.Join("\n", body.Descendants<Paragraph>().Select(p => p.InnerText)).Trim();
        }
        catch (Exception e) when (e is InvalidDataException or OpenXmlPackageException or IOException or InvalidOperationException)
        {
            throw new UploadRefusedException("无法读取 Word 文档：文件已损坏或不是 .docx");
        }
    }
}
