using Ingest.Core.Facts;
using Ingest.Core.Indicators;
using Ingest.Core.Periods;

namespace Ingest.Connectors.CloudPlatform.Normalization;

/// <summary>What a stream normalised to: its facts, and the rows it could not use with why.</summary>
/// <param name="Facts">Facts for the county's schools and the county.</param>
/// <param name="Rejected">Rows left out.</param>
/// <param name="Notes">What an operator should know (rows left out and why, schools missing from the directory).</param>
public sealed record NormalizedRows(IReadOnlyList<IndicatorFact> Facts, int Rejected, IReadOnlyList<string> Notes);

/// <summary>Builds facts of the <c>cloud</c> source with the catalogue's unit.</summary>
internal static class CloudFacts
{
    public const string Source = "cloud";

    public static IndicatorFact Count(string org, string code, Period period, decimal value, string? detail = null) =>
        new(org, code, period.Code, Source, value, Unit: UnitOf(code), Detail: detail);

    public static IndicatorFact Ratio(string org, string code, Period period, decimal numerator, decimal denominator, string? detail = null) =>
        IndicatorFact.Ratio(org, code, period, Source, numerator, denominator, UnitOf(code)) with { Detail = detail };

    private static string? UnitOf(string code) =>
        IndicatorCatalogue.Find(code)?.Unit ?? throw new InvalidOperationException($"{code} is not in the indicator catalogue.");
}
