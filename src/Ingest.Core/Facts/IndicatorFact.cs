using Ingest.Core.Periods;

namespace Ingest.Core.Facts;

/// <summary>
/// One figure: an organisation's value of an indicator in a period, from a source.
/// The key is (<see cref="OrgCode"/>, <see cref="IndicatorCode"/>, <see cref="Period"/>, <see cref="Source"/>).
/// </summary>
/// <param name="OrgCode">School, county or region code.</param>
/// <param name="IndicatorCode">Catalogue code, e.g. <c>cloud.app_index</c>.</param>
/// <param name="Period">Period code (<c>2023</c>, <c>2023-2024</c>, <c>2024-06-30</c>).</param>
/// <param name="Source">The connector that produced it (<c>cloud</c>, <c>progress</c>).</param>
/// <param name="Value">The value; null when unknown (an empty upstream field, a ratio over zero).</param>
/// <param name="Numerator">For ratios: the numerator, kept so aggregates are a ratio of sums.</param>
/// <param name="Denominator">For ratios: the denominator.</param>
/// <param name="Unit">Unit as in the catalogue.</param>
/// <param name="Detail">Optional JSON detail (e.g. the set of subjects behind a count).</param>
public sealed record IndicatorFact(
    string OrgCode,
    string IndicatorCode,
    string Period,
    string Source,
    decimal? Value,
    decimal? Numerator = null,
    decimal? Denominator = null,
    string? Unit = null,
    string? Detail = null)
{
    /// <summary>A ratio fact; the value is null when the denominator is zero (not computable, never 0).</summary>
    public static IndicatorFact Ratio(string orgCode, string indicatorCode, Period period, string source,
        decimal numerator, decimal denominator, string? unit = null) =>
        new(orgCode, indicatorCode, period.Code, source,
            denominator == 0 ? null : numerator / denominator, numerator, denominator, unit);
}
