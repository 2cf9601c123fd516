using System.ComponentModel.DataAnnotations;

namespace Ingest.Application.Oversight;

/// <summary>How the department's oversight flags a bureau's ratings (<c>Oversight</c>).</summary>
public sealed class OversightOptions
{
    public const string Section = "Oversight";

    /// <summary>An on-site line is listed when the bureau's score and the school's 自评 differ by more than this many points. Default 1.</summary>
    [Range(0, 20)]
    public decimal OnSiteMargin { get; set; } = 1;

    /// <summary>A school the bureau rated at this total or above is flagged when the data puts it <see cref="FarAboveLevels"/> lower. Default 80.</summary>
    [Range(0, 100)]
    public decimal FarAboveTotal { get; set; } = 80;

    /// <summary>How many levels below the bureau's the data's level must be for that flag. Default 2.</summary>
    [Range(1, 4)]
    public int FarAboveLevels { get; set; } = 2;

    /// <summary>How many of a county's 二星级/三星级 schools a spot check draws (第十五条（3）), shared among the 学段. Default 5.</summary>
    [Range(1, 200)]
    public int SpotCheckSize { get; set; } = 5;

    /// <summary>How many schools of a county the evaluation visit draws for 实地查看, shared among the 学段 as the spot checks are. Default 4.</summary>
    [Range(1, 100)]
    public int VisitSampleSize { get; set; } = 4;

    /// <summary>When a spot check is 合格: NotLower (the department's level is not lower than the bureau's, the default) or Same.</summary>
    public Ingest.Scoring.Oversight.SpotCheckRule SpotCheckRule { get; set; } = Ingest.Scoring.Oversight.SpotCheckRule.NotLower;
}
