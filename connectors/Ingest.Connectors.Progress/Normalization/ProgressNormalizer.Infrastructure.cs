using System.Globalization;
using System.Text.Json.Nodes;
using Ingest.Connectors.Http;
using Ingest.Connectors.Progress.Export;
using Ingest.Core.Connectors;
using Ingest.Core.Facts;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;

namespace Ingest.Connectors.Progress.Normalization;

public static partial class ProgressNormalizer
{
    /// <summary>
    /// The infrastructure export of <paramref name="night"/> (the night actually read, which the detail of every fact
    /// names): bandwidth, multimedia coverage of teaching classes, security system and one-click alarm per school; for
    /// the county, each over its unit schools with the ones that fail or did not report listed.
    /// </summary>
    public static NormalizedRows Infrastructure(string countyCode, Period period, IReadOnlyCollection<Organisation> schools, InfrastructureFile file, DateOnly night)
    {
        ArgumentNullException.ThrowIfNull(schools);
        ArgumentNullException.ThrowIfNull(file);
        var exportNight = night.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var bySchool = new Dictionary<string, InfrastructureRecord>(StringComparer.Ordinal);
        var repeated = 0;
        foreach (var record in file.Records)
        {
            repeated += bySchool.ContainsKey(record.SchoolCode!) ? 1 : 0;
            bySchool[record.SchoolCode!] = record; // a school listed twice: the later line wins
        }

        var facts = new List<IndicatorFact>();
        foreach (var code in SchoolsToReport(schools, bySchool.Keys))
        {
            var r = bySchool.GetValueOrDefault(code);
            var where = Detail(r is null
                ? new JsonObject { ["exportNight"] = exportNight, ["reported"] = false }
                : new JsonObject { ["exportNight"] = exportNight, ["line"] = r.Line });
            facts.Add(Facts.Count(code, "progress.bandwidth_mbps", period, r?.BandwidthMbps, where));
            facts.Add(r is { TeachingClasses: { } classes, ClassesWithTerminals: { } equipped }
                ? Facts.Ratio(code, "progress.multimedia_class_coverage", period, equipped, classes, where)
                : Facts.UnknownRatio(code, "progress.multimedia_class_coverage", period, where));
            facts.Add(Facts.Count(code, "progress.security_system", period, Flag(r?.SecuritySystem), where));
            facts.Add(Facts.Count(code, "progress.one_click_alarm", period, Flag(r?.OneClickAlarm), where));
        }

        var units = schools.Where(s => s.IsUnitSchool).Select(s => s.Code).Order(StringComparer.Ordinal).ToArray();
        var unitRecords = units.Select(u => (Code: u, Record: bySchool.GetValueOrDefault(u))).ToArray();
        facts.Add(CountyBandwidth(countyCode, period, exportNight, unitRecords));
        facts.Add(CountyCoverage(countyCode, period, exportNight, schools, bySchool, unitRecords));
        facts.Add(CountyFlag(countyCode, "progress.security_system", period, exportNight, unitRecords, r => r.SecuritySystem));
        facts.Add(CountyFlag(countyCode, "progress.one_click_alarm", period, exportNight, unitRecords, r => r.OneClickAlarm));

        var notes = new List<string>();
        if (file.Problems.Count > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{file.Problems.Count} lines left out: ") + string.Join("; ", file.Problems.Take(20))
                + (file.Problems.Count > 20 ? "; …" : string.Empty));
        }

        if (repeated > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{repeated} schools listed more than once (the later line kept)"));
        }

        var silent = units.Count(u => !bySchool.ContainsKey(u));
        if (silent > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{silent} unit schools have no line in the export (unknown)"));
        }

        if (file.Totals is { } totals && file.Problems.Count == 0 && repeated == 0)
        {
            notes.AddRange(TotalsCheck(totals, file.Records));
        }
        else if (file.Totals is null)
        {
            notes.Add("the file has no 合计 line");
        }

        notes.AddRange(SchoolRows.Notes(0, string.Empty, schools, bySchool.Keys));
        return new NormalizedRows(facts, file.Problems.Count + repeated, notes);
    }

    private static IEnumerable<string> TotalsCheck(InfrastructureRecord totals, IReadOnlyList<InfrastructureRecord> records)
    {
        (string Column, int? Stated, int Sum)[] columns =
        [
            (InfrastructureRecord.TeachingClassesColumn, totals.TeachingClasses, records.Sum(r => r.TeachingClasses ?? 0)),
            (InfrastructureRecord.ClassesWithTerminalsColumn, totals.ClassesWithTerminals, records.Sum(r => r.ClassesWithTerminals ?? 0)),
            (InfrastructureRecord.InteractiveClassroomsColumn, totals.InteractiveClassrooms, records.Sum(r => r.InteractiveClassrooms ?? 0)),
        ];
        foreach (var (column, stated, sum) in columns)
        {
            if (stated is { } s && s != sum)
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"the 合计 line gives {column} {s} but the school lines add up to {sum}");
            }
        }
    }

    private static decimal? Flag(bool? value) => value switch { true => 1, false => 0, null => null };
}
