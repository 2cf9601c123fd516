using Ingest.Core.Facts;
using Ingest.Core.Periods;

namespace Ingest.Connectors.CloudPlatform.Normalization;

/// <summary>Builds facts of the <c>cloud</c> source with the catalogue's unit.</summary>
internal static class CloudFacts
{
    public const string Source = "cloud";

    private static readonly CatalogueFacts Facts = new(Source);

    public static IndicatorFact Count(string org, string code, Period period, decimal value, string? detail = null) =>
        Facts.Count(org, code, period, value, detail);

    public static IndicatorFact Ratio(string org, string code, Period period, decimal numerator, decimal denominator, string? detail = null) =>
        Facts.Ratio(org, code, period, numerator, denominator, detail);
}
