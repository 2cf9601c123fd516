namespace Ingest.Core.Remediation;

/// <summary>Where a 整改 item stands: 待整改 (set), 已提交 (the school's answer), 已核实 (closed by the bureau), 退回 (sent back with why).</summary>
public static class RemediationStatus
{
    public const string Open = "待整改";
    public const string Submitted = "已提交";
    public const string Verified = "已核实";
    public const string Returned = "退回";
}

/// <summary>The file a school attached to its answer: its name, kind (as judged from the bytes), size and content by SHA-256.</summary>
public sealed record RemediationFile(string FileName, Evidence.EvidenceKind Kind, long Bytes, string Sha256);

/// <summary>
/// A 整改 item: a line of a school's sheet the bureau set to be fixed by a deadline, with what was found and what full
/// marks there would recover; the school's answer, the bureau's verification, and for a data line the run whose figure
/// passed its threshold (数据已达标).
/// </summary>
public sealed record RemediationItem(long Id, string Cycle, string OrgCode, string OrgName, string CountyCode, string Target, string Problem, decimal Recovers,
    bool DataLine, DateOnly Deadline, string Status, string CreatedBy, DateTimeOffset CreatedAt,
    string? SubmitNote, RemediationFile? SubmitFile, string? SubmittedBy, DateTimeOffset? SubmittedAt,
    string? VerifyNote, string? VerifiedBy, DateTimeOffset? VerifiedAt,
    long? DataMetRun, string? DataMetPeriod, string? DataMetFigure, DateTimeOffset? DataMetAt)
{
    public bool Closed => Status == RemediationStatus.Verified;

    /// <summary>Past its deadline (<paramref name="today"/>, Beijing) with the school's part still undone: 待整改 or 退回.</summary>
    public bool OverdueOn(DateOnly today) => Deadline < today && Status is RemediationStatus.Open or RemediationStatus.Returned;
}
