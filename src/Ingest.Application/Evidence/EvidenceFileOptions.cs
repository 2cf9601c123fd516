using System.ComponentModel.DataAnnotations;

namespace Ingest.Application.Evidence;

/// <summary>Where 佐证材料 files are kept and how large they may be (<c>Evidence</c>).</summary>
public sealed class EvidenceFileOptions
{
    public const string Section = "Evidence";

    /// <summary>The directory of the local content store; default <c>.data/evidence</c> beside the database's <c>.data/postgres</c>. Several hosts share one (a network mount).</summary>
    public string? Directory { get; set; }

    /// <summary>The most bytes one file may have. Default 10 MB; the request limit (Ingest:Security:MaxRequestBodyBytes) must allow it.</summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxFileBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>The most bytes a school's live files of one cycle may have together. Default 200 MB.</summary>
    [Range(1024, 1024L * 1024 * 1024 * 1024)]
    public long MaxSchoolBytes { get; set; } = 200L * 1024 * 1024;
}
