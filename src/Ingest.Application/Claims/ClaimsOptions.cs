using System.ComponentModel.DataAnnotations;

namespace Ingest.Application.Claims;

/// <summary>How far a claim may go beyond the data before it is flagged (<c>Claims</c>).</summary>
public sealed class ClaimsOptions
{
    public const string Section = "Claims";

    /// <summary>Points a claimed score may exceed the data's score by before it is 高于数据. Default 0.</summary>
    [Range(0, 10)]
    public decimal ScoreTolerance { get; set; }

    /// <summary>The share a claimed figure may exceed the online figure by before it is flagged (0.05 = 5%). Default 0.</summary>
    [Range(0, 10)]
    public decimal FigureTolerance { get; set; }

    /// <summary>期末突击: the multiple of a school's weekly median its last teaching weeks' weekly average must exceed. Default 3.</summary>
    [Range(1, 100)]
    public decimal SurgeMultiple { get; set; } = 3;

    /// <summary>期末突击: how many of the period's last teaching weeks are looked at. Default 4.</summary>
    [Range(1, 20)]
    public int SurgeWeeks { get; set; } = 4;

    /// <summary>期末突击: the fewest lessons in those weeks that can be a surge (a school with one or two is not flagged). Default 8.</summary>
    [Range(0, 10_000)]
    public decimal SurgeMinimumLessons { get; set; } = 8;
}
