namespace Ingest.Scoring.Programme;

/// <summary>第十四条: a school that has not moved up in the given consecutive years, with its levels year by year.</summary>
public sealed record DemotionFlag(string SchoolCode, string SchoolName, string CountyCode, IReadOnlyList<YearLevel> Levels);
