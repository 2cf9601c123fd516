namespace Ingest.Documents.Uploads;

/// <summary>
/// An uploaded file read no further: what is wrong with it, in words its sender understands (the caller adds the file's
/// name). Nothing of the file has been kept when this is thrown.
/// </summary>
public sealed class UploadRefusedException(string problem) : Exception(problem)
{
    public string Problem { get; } = problem;
}

/// <summary>
/// The bounds an uploaded workbook or text file is read within. The defaults fit the largest county's claims file
/// (a few hundred schools × every item) and a 填报表 many times over; a file beyond them is refused before it is read.
/// </summary>
public sealed record UploadLimits
{
    /// <summary>Excel's own last column (XFD) and row.</summary>
    public const int ExcelColumns = 16_384, ExcelRows = 1_048_576;

    /// <summary>Parts (zip entries) of a workbook: Excel writes about a dozen for one sheet.</summary>
    public int MaxParts { get; init; } = 200;

    /// <summary>The bytes all parts of a workbook may decompress to, together.</summary>
    public long MaxUncompressedBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Cells with content, and shared strings, each.</summary>
    public int MaxCells { get; init; } = 400_000;

    /// <summary>The last row a file may use (1-based, the header included).</summary>
    public int MaxRows { get; init; } = ExcelRows;

    /// <summary>The widest row a file may have: the form's known columns (and room for a few a person adds).</summary>
    public int MaxColumns { get; init; } = ExcelColumns;

    /// <summary>How long reading one file may take.</summary>
    public TimeSpan MaxReadTime { get; init; } = TimeSpan.FromSeconds(30);
}
