using Ingest.Scoring.Sheets;

namespace Ingest.Host.Scoring;

/// <summary>
/// Body of an entry: one of a score, counts or a flag, in a column, by someone; a reason to change an auto score. With
/// <paramref name="Withdraw"/> and a reason instead, the column's entry for the target is withdrawn: the line goes back to
/// its pre-filled score or to waiting.
/// </summary>
/// <param name="Target">Item number, or <c>item/part</c> (e.g. <c>16/library</c>).</param>
/// <param name="Column">Optional: the column follows from the caller's role (学校 → self, 教育局 → bureau, 教育厅 → department);
/// naming another column is refused with 403.</param>
/// <param name="By">Ignored: an entry is signed with the signed-in display name. Kept so that older clients still parse.</param>
public sealed record EntryBody(string Target, string? Column, decimal? Score, IReadOnlyDictionary<string, int>? Counts, bool? Flag, string? Reason, string? By = null,
    bool Withdraw = false);

/// <summary>Body of <c>PUT …/applied-stars</c>: the level applied for (申报星级), 1 to 5, or null to withdraw the application.</summary>
public sealed record AppliedStarsBody(int? Stars);

/// <summary>Body of <c>PUT /api/organisations/{org}/contact</c>: 联系人, 联系方式 (blank clears one). <paramref name="By"/> is ignored: the
/// signed-in display name signs the change.</summary>
public sealed record ContactBody(string? Person, string? Phone, string? By = null);

/// <summary>What an import did: entries logged (values and withdrawals), rows that already held their value, and the sheet after.</summary>
public sealed record ImportResultView(int Logged, int Unchanged, ScoresheetView Sheet);
