namespace Ingest.Core.Indicators;

/// <summary>How an indicator rolls up from schools to county and region.</summary>
public enum Aggregation
{
    /// <summary>Σ numerator ÷ Σ denominator over the schools (never the mean of school ratios).</summary>
    RatioOfSums,

    /// <summary>Σ value over the schools (counts).</summary>
    Sum,

    /// <summary>Not aggregated by the store: the connector computes it per level (flags, sets, county-only figures).</summary>
    None,
}

/// <summary>An entry of the indicator catalogue.</summary>
/// <param name="Code">ASCII code, e.g. <c>cloud.app_index</c>.</param>
/// <param name="NameZh">Chinese name as the documents write it.</param>
/// <param name="Unit">Unit of the value (分/人, %, 节, Mbps, 是否 …).</param>
/// <param name="Formula">How the value is computed from the upstream's fields.</param>
/// <param name="Source">Upstream endpoint or file it comes from.</param>
/// <param name="Aggregation">How it rolls up.</param>
public sealed record IndicatorDefinition(
    string Code,
    string NameZh,
    string Unit,
    string Formula,
    string Source,
    Aggregation Aggregation);
