using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;

namespace Ingest.Scoring.Tests;

/// <summary>Facts and contexts written the way a person reads them off the documents.</summary>
internal static class Given
{
    public const string School = "2164240001";
    public const string County = "640424";
    public static readonly DateTimeOffset At = new(2024, 7, 1, 2, 0, 0, TimeSpan.Zero);

    /// <summary>School cycle 2024: calendar year 2023, school year 2023-2024, export of 2024-06-30.</summary>
    public static readonly CyclePeriods SchoolCycle = CyclePeriods.DefaultFor(new EvaluationCycle(RubricKind.School, 2024));

    /// <summary>County cycle 2024: calendar year 2024, school year 2023-2024, export of 2024-12-31.</summary>
    public static readonly CyclePeriods CountyCycle = CyclePeriods.DefaultFor(new EvaluationCycle(RubricKind.County, 2024));

    public static Rubric SchoolRubric => RubricLibrary.Get(RubricLibrary.School2022);

    public static Rubric CountyRubric => RubricLibrary.Get(RubricLibrary.CountyTrial);

    public static FactEvidence Value(string org, string indicator, string period, decimal? value, string? detail = null) =>
        new(org, indicator, period, indicator.Split('.')[0], value, null, null, detail, 7, At);

    public static FactEvidence Ratio(string org, string indicator, string period, decimal numerator, decimal denominator, string? detail = null) =>
        new(org, indicator, period, indicator.Split('.')[0], denominator == 0 ? null : numerator / denominator, numerator, denominator, detail, 7, At);

    /// <summary>A region value that covers every county of the directory.</summary>
    public static FactEvidence Region(string indicator, string period, decimal numerator, decimal denominator, int counties = 22, int inDirectory = 22, int unknown = 0) =>
        Ratio(Organisation.RegionCode, indicator, period, numerator, denominator,
            $$"""{"counties": {{counties}}, "countiesInDirectory": {{inDirectory}}, "countiesUnknown": {{unknown}}}""");

    public static ScoringContext SchoolContext(params FactEvidence[] facts) =>
        new(School, SchoolCycle, new ScoringSettings(), new FactSet(facts));

    public static ScoringContext CountyContext(ScoringSettings settings, params FactEvidence[] facts) =>
        new(County, CountyCycle, settings, new FactSet(facts));

    public static ScoringContext CountyContext(params FactEvidence[] facts) => CountyContext(new ScoringSettings(), facts);

    public static ScoreTarget Target(Rubric rubric, string key) =>
        rubric.Items.SelectMany(i => i.Targets).Single(t => t.Key == key);

    public static AutoOutcome Auto(Rubric rubric, string key, ScoringContext context)
    {
        var target = Target(rubric, key);
        return AutoScorer.Score(target.Rule, target.Points, context);
    }
}
