using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ingest.Connectors.Http;
using Ingest.Connectors.Progress.Api;
using Ingest.Core.Connectors;
using Ingest.Core.Facts;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;

namespace Ingest.Connectors.Progress.Normalization;

/// <summary>
/// The <c>progress.*</c> facts of docs/domain.md for every school of the county and the county itself (pure: rows in,
/// facts out). Unknown stays unknown: an empty export field gives a fact whose value is null, never 0. County
/// figures for the "every unit school" items carry, in their detail, which unit schools pass, fail or are unknown.
/// </summary>
public static partial class ProgressNormalizer
{
    public const string Source = "progress";

    /// <summary>Unit-school codes listed in a detail are cut at this many (the counts are always complete).</summary>
    private const int ListedCodes = 50;

    private static readonly CatalogueFacts Facts = new(Source);
    private static readonly JsonSerializerOptions DetailJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Classrooms that count for <paramref name="period"/>: enabled, and commissioned by the period's end (a classroom
    /// commissioned later did not exist then). <c>enabled</c> is today's state: the system keeps no history of it.
    /// </summary>
    public static ClassroomDto[] InUse(IEnumerable<ClassroomDto> classrooms, Period period) =>
        classrooms.Where(c => c.Enabled && (c.CommissionedOn is null || c.CommissionedOn <= period.End)).ToArray();

    /// <summary>Enabled classrooms per school; the county's detail says which unit schools have one (their attached schools' count for them).</summary>
    public static NormalizedRows Classrooms(string countyCode, Period period, IReadOnlyCollection<Organisation> schools, IReadOnlyCollection<ClassroomDto> rows)
    {
        ArgumentNullException.ThrowIfNull(schools);
        ArgumentNullException.ThrowIfNull(rows);
        var usable = Usable(rows);
        var inUse = InUse(usable, period).ToLookup(c => c.SchoolCode!, StringComparer.Ordinal);
        var facts = new List<IndicatorFact>();
        foreach (var school in SchoolsToReport(schools, usable.Select(c => c.SchoolCode!)))
        {
            facts.Add(Facts.Count(school, "progress.interactive_classrooms", period, inUse[school].Count()));
        }

        var units = UnitSchools(schools);
        var without = units.Where(u => u.Members.All(m => !inUse[m].Any())).Select(u => u.Code).ToArray();
        facts.Add(Facts.Count(countyCode, "progress.interactive_classrooms", period, facts.Sum(f => f.Value ?? 0), Detail(new JsonObject
        {
            ["unitSchools"] = units.Length,
            ["unitSchoolsWithClassroom"] = units.Length - without.Length,
            ["unitSchoolsWithout"] = Codes(without),
            ["rule"] = "a unit school counts a classroom of a school attached to it",
        })));
        var rejected = rows.Count - usable.Length;
        return new NormalizedRows(facts, rejected, SchoolRows.Notes(rejected, "without a classroom id or a 10-digit school code", schools, usable.Select(c => c.SchoolCode!)));
    }

    private static ClassroomDto[] Usable(IEnumerable<ClassroomDto> rows)
    {
        var byId = new Dictionary<string, ClassroomDto>(StringComparer.Ordinal);
        foreach (var room in rows.Where(r => !string.IsNullOrEmpty(r.ClassroomId) && SchoolRows.IsSchoolCode(r.SchoolCode)))
        {
            byId[room.ClassroomId!] = room;
        }

        return [.. byId.Values];
    }

    /// <summary>Unit schools with the schools attached to them (teaching points, small village schools).</summary>
    private static (string Code, string[] Members)[] UnitSchools(IReadOnlyCollection<Organisation> schools)
    {
        var attached = schools.Where(s => s.Level == OrgLevel.School && s.Active && s.ParentSchoolCode is not null)
            .ToLookup(s => s.ParentSchoolCode!, s => s.Code, StringComparer.Ordinal);
        return schools.Where(s => s.IsUnitSchool).OrderBy(s => s.Code, StringComparer.Ordinal)
            .Select(s => (s.Code, attached[s.Code].Prepend(s.Code).ToArray())).ToArray();
    }

    private static IEnumerable<string> SchoolsToReport(IEnumerable<Organisation> schools, IEnumerable<string> inRows) =>
        schools.Where(s => s.Level == OrgLevel.School && s.Active).Select(s => s.Code)
            .Union(inRows, StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

    private static JsonArray Codes(IEnumerable<string> codes) => new([.. codes.Take(ListedCodes).Select(c => (JsonNode)c)]);

    private static string Detail(JsonObject detail) => detail.ToJsonString(DetailJson);
}
