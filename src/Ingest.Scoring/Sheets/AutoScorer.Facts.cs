using System.Globalization;
using System.Text.Json;
using Ingest.Core.Indicators;
using Ingest.Core.Sheets;
using Ingest.Scoring.Rubrics;

namespace Ingest.Scoring.Sheets;

public static partial class AutoScorer
{
    private static bool TryMeasure(FactInput input, string org, ScoringContext context, out FactEvidence? fact, out decimal value, out string reason)
    {
        var period = context.PeriodOf(input.Period);
        fact = context.Facts.Find(org, input.Indicator, period);
        value = 0;
        if (fact is null)
        {
            reason = $"尚未采集 {org} {RaterText.Period(period)}的{Name(input)}";
            return false;
        }

        if (Measured(fact, input.Measure) is not { } v)
        {
            reason = fact.Denominator == 0
                ? $"{org} {RaterText.Period(period)}的{Name(input)}无法计算：分母为 0"
                : $"{org} {RaterText.Period(period)}的{Name(input)}未知";
            return false;
        }

        value = v;
        reason = string.Empty;
        return true;
    }

    private static decimal? Measured(FactEvidence fact, Measure measure) => measure switch
    {
        Measure.Ratio => fact is { Numerator: { } n, Denominator: { } d and not 0 } ? n / d : null,
        _ => fact.Value,
    };

    private static List<string>? DetailList(string? detail, string? property)
    {
        if (string.IsNullOrWhiteSpace(detail))
        {
            return null;
        }

        using var doc = JsonDocument.Parse(detail);
        var element = doc.RootElement;
        if (property is not null && !(element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out element)))
        {
            return null;
        }

        return element.ValueKind == JsonValueKind.Array
            ? element.EnumerateArray().Select(e => e.ToString()).ToList()
            : null;
    }

    private static AutoOutcome NotComputable(string reason, FactEvidence? fact) =>
        new(null, reason, fact is null ? [] : [fact], [], null);

    private static string Codes(List<string> codes) => string.Join("、", codes.Take(20)) + (codes.Count > 20 ? " 等" : string.Empty);

    private static string Name(FactInput input) => RaterText.IndicatorName(input.Indicator);

    /// <summary>
    /// A figure as people read it. A county's count of unit schools read as numerator ÷ denominator is a share of
    /// them, so a yes/no indicator measured as a ratio shows as a percentage.
    /// </summary>
    private static string Fig(FactInput input, decimal value) =>
        input.Measure == Measure.Ratio && IndicatorCatalogue.Find(input.Indicator)?.Unit == "是否"
            ? Math.Round(value * 100, 2, MidpointRounding.AwayFromZero).ToString("0.##", CultureInfo.InvariantCulture) + "%"
            : RaterText.Figure(input.Indicator, value);
}
