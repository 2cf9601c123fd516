namespace Ingest.Scoring.Programme;

/// <summary>The programme rules' thresholds (管理办法 第十一条、第十四条、第十五条), configurable under <c>Scoring:Programme</c>.</summary>
public sealed class ProgrammeSettings
{
    /// <summary>A county's 3-star schools of a year may not exceed this share of its cultivation schools.</summary>
    public decimal ThreeStarShare { get; set; } = 0.30m;

    /// <summary>A county whose 4-star applications of a year pass below this rate is flagged.</summary>
    public decimal FourStarPassRate { get; set; } = 0.50m;

    /// <summary>A school that has not moved up in this many consecutive years is flagged for demotion.</summary>
    public int YearsWithoutAdvance { get; set; } = 3;
}
