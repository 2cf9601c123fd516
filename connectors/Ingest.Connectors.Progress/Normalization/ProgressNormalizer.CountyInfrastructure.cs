using System.Text.Json.Nodes;
using Ingest.Connectors.Progress.Export;
using Ingest.Core.Facts;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;

namespace Ingest.Connectors.Progress.Normalization;

public static partial class ProgressNormalizer
{
    private static IndicatorFact CountyBandwidth(string countyCode, Period period, string exportNight, (string Code, InfrastructureRecord? Record)[] units)
    {
        var reported = units.Where(u => u.Record?.BandwidthMbps is not null).ToArray();
        var missing = units.Where(u => u.Record?.BandwidthMbps is null).Select(u => u.Code).ToArray();
        decimal? lowest = reported.Length == 0 ? null : reported.Min(u => u.Record!.BandwidthMbps!.Value);
        return Facts.Count(countyCode, "progress.bandwidth_mbps", period, missing.Length == 0 ? lowest : null, Detail(new JsonObject
        {
            ["exportNight"] = exportNight,
            ["aggregate"] = "lowest over unit schools",
            ["unitSchools"] = units.Length,
            ["reported"] = reported.Length,
            ["lowestReported"] = lowest,
            ["notReported"] = Codes(missing),
            ["below200"] = Codes(reported.Where(u => u.Record!.BandwidthMbps < 200).Select(u => u.Code)),
        }));
    }

    private static IndicatorFact CountyCoverage(string countyCode, Period period, string exportNight, IReadOnlyCollection<Organisation> schools,
        Dictionary<string, InfrastructureRecord> bySchool, (string Code, InfrastructureRecord? Record)[] units)
    {
        static bool Known(InfrastructureRecord? r) => r is { TeachingClasses: not null, ClassesWithTerminals: not null };
        var active = schools.Where(s => s.Level == OrgLevel.School && s.Active).Select(s => bySchool.GetValueOrDefault(s.Code)).ToArray();
        var known = bySchool.Values.Where(Known).ToArray();
        var detail = Detail(new JsonObject
        {
            ["exportNight"] = exportNight,
            ["unitSchools"] = units.Length,
            ["unitSchoolsFullyEquipped"] = units.Count(u => Known(u.Record) && u.Record!.ClassesWithTerminals == u.Record.TeachingClasses),
            ["unitSchoolsShort"] = Codes(units.Where(u => Known(u.Record) && u.Record!.ClassesWithTerminals < u.Record.TeachingClasses).Select(u => u.Code)),
            ["unitSchoolsNotReported"] = Codes(units.Where(u => !Known(u.Record)).Select(u => u.Code)),
        });
        // A ratio of sums over part of the county would pass for the whole: unknown unless every active school reported.
        return active.All(Known)
            ? Facts.Ratio(countyCode, "progress.multimedia_class_coverage", period, known.Sum(r => (decimal)r.ClassesWithTerminals!.Value), known.Sum(r => (decimal)r.TeachingClasses!.Value), detail)
            : Facts.UnknownRatio(countyCode, "progress.multimedia_class_coverage", period, detail);
    }

    private static IndicatorFact CountyFlag(string countyCode, string indicator, Period period, string exportNight,
        (string Code, InfrastructureRecord? Record)[] units, Func<InfrastructureRecord, bool?> flag)
    {
        var yes = units.Count(u => u.Record is { } r && flag(r) == true);
        var no = units.Where(u => u.Record is { } r && flag(r) == false).Select(u => u.Code).ToArray();
        var unknown = units.Where(u => u.Record is not { } r || flag(r) is null).Select(u => u.Code).ToArray();
        var detail = Detail(new JsonObject
        {
            ["exportNight"] = exportNight,
            ["unitSchools"] = units.Length,
            ["yes"] = yes,
            ["no"] = Codes(no),
            ["notReported"] = Codes(unknown),
        });
        // Value: unit schools with the system, known only when every unit school answered; numerator/denominator always.
        return new IndicatorFact(countyCode, indicator, period.Code, Source, unknown.Length == 0 ? yes : null, yes, units.Length,
            Facts.Count(countyCode, indicator, period, 0).Unit, detail);
    }
}
