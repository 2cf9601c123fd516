using Ingest.Documents.Uploads;

namespace Ingest.Documents.Claims;

/// <summary>A claims file cannot be imported; every problem is named with its line and column. Nothing of it is kept.</summary>
public sealed class ClaimsImportException(string file, IReadOnlyList<string> errors)
    : Ingest.Core.Sheets.ScoresheetException($"{file} 未导入：" + string.Join("；", errors))
{
    public string File { get; } = file;

    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>One data row of a claims file: its line, and its cells by column name.</summary>
public sealed record ClaimsRow(int Line, IReadOnlyDictionary<string, string> Cells)
{
    public string? this[string column] => Cells.TryGetValue(column, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
}

/// <summary>
/// The claims file: 学校标识码, 学校名称, 序号, 指标, 分值, 自评得分, 自评数据, 说明, 佐证材料. On import only 学校标识码, 序号 and
/// 自评得分 are required (佐证材料, the names of files uploaded behind the line, may be left out); other columns are ignored. CSV in UTF-8 (with or without BOM) or GB18030, recognised on their own;
/// xlsx as the service writes it (the first sheet).
/// </summary>
public static class ClaimsFile
{
    public const string School = "学校标识码";
    public const string SchoolName = "学校名称";
    public const string Number = "序号";
    public const string Indicator = "指标";
    public const string Points = "分值";
    public const string Score = "自评得分";
    public const string Figure = "自评数据";
    public const string Note = "说明";
    public const string Evidence = "佐证材料";

    public static readonly IReadOnlyList<string> Columns = [School, SchoolName, Number, Indicator, Points, Score, Figure, Note, Evidence];

    private static readonly string[] Required = [School, Number, Score];

    /// <summary>
    /// The bounds a claims file is read within: its nine columns and as many again for columns a person adds (ignored),
    /// and 50,000 data rows (a county of 500 schools × every item of the rubric is about 40,000).
    /// </summary>
    public static readonly UploadLimits Limits = new() { MaxColumns = 16, MaxRows = 50_001 };

    private static readonly UploadTable Table = new(Columns, Required, Limits, "自评文件", "请按县（区）或学校分开导入");

    /// <summary>The rows of a claims file, blank rows left out.</summary>
    /// <exception cref="ClaimsImportException">The file is neither a workbook nor readable text, or lacks a required column.</exception>
    public static IReadOnlyList<ClaimsRow> Read(byte[] bytes, string fileName)
    {
        try
        {
            return Table.Read(bytes, fileName).Select(r => new ClaimsRow(r.Line, r.Cells)).ToArray();
        }
        catch (UploadTableException e)
        {
            throw new ClaimsImportException(e.File, e.Errors);
        }
    }
}
