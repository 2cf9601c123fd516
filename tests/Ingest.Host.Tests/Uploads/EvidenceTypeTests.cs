using Ingest.Core.Evidence;
using Ingest.Documents.Uploads;

namespace Ingest.Host.Tests.Uploads;

/// <summary>What a 佐证材料 file is, judged from its bytes: the five kinds a school sends are taken, whatever their names; anything that runs is refused with why.</summary>
public class EvidenceTypeTests
{
    [Fact]
    public void Pictures_PDFs_and_Word_and_Excel_files_are_known_by_their_bytes()
    {
        EvidenceType.Judge(EvidenceFiles.Png()).ShouldBe(EvidenceKind.Png);
        EvidenceType.Judge([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F']).ShouldBe(EvidenceKind.Jpeg);
        EvidenceType.Judge(EvidenceFiles.Pdf()).ShouldBe(EvidenceKind.Pdf);
        EvidenceType.Judge(EvidenceFiles.Docx("获奖证书")).ShouldBe(EvidenceKind.Docx);
        EvidenceType.Judge(EvidenceFiles.Zip("[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/printerSettings/printerSettings1.bin"))
            .ShouldBe(EvidenceKind.Xlsx, "Excel's printer settings are data, not a program");
    }

    [Theory]
    [InlineData(new byte[] { 0x4D, 0x5A, 0x90, 0x00 }, "可执行程序")]
    [InlineData(new byte[] { 0x7F, 0x45, 0x4C, 0x46, 2, 1 }, "可执行程序")]
    [InlineData(new byte[] { 0x23, 0x21, 0x2F, 0x62, 0x69, 0x6E }, "可执行程序或脚本")]
    [InlineData(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1 }, "另存为 .docx 或 .xlsx")]
    [InlineData(new byte[] { 0x3C, 0x68, 0x74, 0x6D, 0x6C, 0x3E }, "不是 PDF、JPEG 或 PNG 图片、Word 文档（.docx）或 Excel 工作簿（.xlsx）")]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 1, 2, 3 }, "压缩文件已损坏")]
    [InlineData(new byte[0], "文件是空的")]
    public void What_is_not_a_document_is_refused_with_why(byte[] bytes, string why) =>
        Should.Throw<UploadRefusedException>(() => EvidenceType.Judge(bytes)).Problem.ShouldContain(why);

    [Fact]
    public void A_document_that_runs_something_is_refused_however_it_is_packed()
    {
        Should.Throw<UploadRefusedException>(() => EvidenceType.Judge(EvidenceFiles.Pdf(extra: " /OpenAction << /S /JavaScript /JS (app.alert(1)) >>")))
            .Problem.ShouldContain("JavaScript");
        Should.Throw<UploadRefusedException>(() => EvidenceType.Judge(EvidenceFiles.Pdf(extra: " /OpenAction << /S /Launch /F (cmd.exe) >>")))
            .Problem.ShouldContain("Launch");
        Should.Throw<UploadRefusedException>(() => EvidenceType.Judge(EvidenceFiles.Zip("[Content_Types].xml", "word/document.xml", "word/vbaProject.bin")))
            .Problem.ShouldContain("含有宏");
        Should.Throw<UploadRefusedException>(() => EvidenceType.Judge(EvidenceFiles.Zip("[Content_Types].xml", "word/document.xml", "word/embeddings/oleObject1.bin")))
            .Problem.ShouldContain("oleObject1.bin");
        Should.Throw<UploadRefusedException>(() => EvidenceType.Judge(EvidenceFiles.Zip("[Content_Types].xml", "word/document.xml", "word/media/setup.exe")))
            .Problem.ShouldContain("setup.exe");
        Should.Throw<UploadRefusedException>(() => EvidenceType.Judge(EvidenceFiles.Zip("setup.exe", "readme.txt"))).Problem.ShouldContain("setup.exe");
        Should.Throw<UploadRefusedException>(() => EvidenceType.Judge(EvidenceFiles.Zip("photos/1.jpg", "photos/2.jpg"))).Problem.ShouldContain("是压缩包");
    }
}
