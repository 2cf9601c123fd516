namespace Ingest.Core.Evidence;

/// <summary>What a 佐证材料 file is, judged from its bytes: the kinds a school may upload.</summary>
public enum EvidenceKind
{
    Pdf,
    Jpeg,
    Png,
    Docx,
    Xlsx,
}

/// <summary>
/// A 佐证材料 file behind a line of a sheet (an item, or a part of one): who uploaded it when, its content by SHA-256, and,
/// once removed or replaced, who did it and why. A removed file's row and content stay: the trail keeps what was shown.
/// </summary>
public sealed record EvidenceFile(long Id, string Cycle, string OrgCode, string Target, string Sha256, string FileName, EvidenceKind Kind, long Bytes,
    string UploadedBy, DateTimeOffset UploadedAt, long? Replaces, string? RemovedBy, DateTimeOffset? RemovedAt, string? RemovedWhy)
{
    /// <summary>Not removed nor replaced.</summary>
    public bool Live => RemovedAt is null;

    /// <summary>The browser shows it in place (images) or opens it (PDF) rather than saving it.</summary>
    public bool Previewable => Kind is EvidenceKind.Pdf or EvidenceKind.Jpeg or EvidenceKind.Png;

    public bool IsImage => Kind is EvidenceKind.Jpeg or EvidenceKind.Png;

    public string MediaType => MediaTypeOf(Kind);

    /// <summary>The kind's name as a school knows it.</summary>
    public string KindName => Kind switch
    {
        EvidenceKind.Pdf => "PDF",
        EvidenceKind.Jpeg => "JPEG 图片",
        EvidenceKind.Png => "PNG 图片",
        EvidenceKind.Docx => "Word 文档",
        _ => "Excel 工作簿",
    };

    /// <summary>The file's extension for its kind, with the dot.</summary>
    public static string Extension(EvidenceKind kind) => kind switch
    {
        EvidenceKind.Pdf => ".pdf",
        EvidenceKind.Jpeg => ".jpg",
        EvidenceKind.Png => ".png",
        EvidenceKind.Docx => ".docx",
        _ => ".xlsx",
    };

    public static string MediaTypeOf(EvidenceKind kind) => kind switch
    {
        EvidenceKind.Pdf => "application/pdf",
        EvidenceKind.Jpeg => "image/jpeg",
        EvidenceKind.Png => "image/png",
        EvidenceKind.Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    };

    /// <summary>The size as a person reads it: 512 KB, 3.4 MB.</summary>
    public string Size => SizeText(Bytes);

    /// <summary>A number of bytes as a person reads it: 512 KB, 3.4 MB.</summary>
    public static string SizeText(long bytes) => bytes >= 1024 * 1024
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / 1024d / 1024d:0.#} MB")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Math.Max(1, (bytes + 1023) / 1024)} KB");
}
