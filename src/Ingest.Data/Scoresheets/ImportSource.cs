namespace Ingest.Data.Scoresheets;

/// <summary>The workbook entries were imported from.</summary>
/// <param name="SignedAs">
/// How the entries are signed when someone fills them on the organisation's behalf (代填: a bureau importing its schools'
/// claims): "李老师（泾源县教育局代填）". Null: signed with the importer's name. The audit trail keeps the importer either way.
/// </param>
public sealed record ImportSource(string FileName, string? SignedAs = null);
