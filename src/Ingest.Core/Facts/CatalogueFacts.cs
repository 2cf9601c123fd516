using Ingest.Core.Indicators;
using Ingest.Core.Periods;

namespace Ingest.Core.Facts;

/// <summary>Builds facts of one source with the catalogue's unit; an indicator outside the catalogue is a programming error.</summary>
public sealed class CatalogueFacts(string source)
{
    public string Source => source;

    public IndicatorFact Count(string org, string code, Period period, decimal? value, string? detail = null) =>
        new(org, code, period.Code, source, value, Unit: UnitOf(code), Detail: detail);

    /// <summary>A ratio; its value is unknown when the denominator is zero.</summary>
    public IndicatorFact Ratio(string org, string code, Period period, decimal numerator, decimal denominator, string? detail = null) =>
        IndicatorFact.Ratio(org, code, period, source, numerator, denominator, UnitOf(code)) with { Detail = detail };

    /// <summary>A ratio whose inputs are not known: value, numerator and denominator all unknown.</summary>
    public IndicatorFact UnknownRatio(string org, string code, Period period, string? detail = null) =>
        new(org, code, period.Code, source, null, null, null, UnitOf(code), detail);

    private static string UnitOf(string code) =>
        IndicatorCatalogue.Find(code)?.Unit ?? throw new InvalidOperationException($"{code} is not in the indicator catalogue.");
}
