namespace Ingest.Scoring.Programme;

/// <summary>第十五条（2）: a county's 4-star applications of the year and how many the department passed.</summary>
/// <param name="Rate">Passed ÷ applications once every application is decided.</param>
/// <param name="Failed">Codes of the applications the department did not pass.</param>
public sealed record FourStarPassLine(
    string CountyCode,
    int Applications,
    int Passed,
    IReadOnlyList<string> Failed,
    int Undecided,
    decimal? Rate,
    RuleStatus Status);
