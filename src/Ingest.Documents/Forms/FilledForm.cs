using Ingest.Core.Periods;
using Ingest.Core.Sheets;

namespace Ingest.Documents.Forms;

/// <summary>What a filled workbook asks: the sheet and column it fills, and per target the value wanted (null: none).</summary>
public sealed record FilledForm(string OrgCode, EvaluationCycle Cycle, Column Column, IReadOnlyList<(string Target, EntryValue Value)> Changes);

/// <summary>A workbook that cannot be imported: every bad row and column, named. Nothing of the file was recorded.</summary>
public sealed class FormImportException(string file, IReadOnlyList<string> errors)
    : ScoresheetException($"{file}：{errors.Count} 处错误，未导入任何内容：" + string.Join("；", errors))
{
    public string File { get; } = file;

    public IReadOnlyList<string> Errors { get; } = errors;
}
