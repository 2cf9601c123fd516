using Ingest.Connectors.CloudPlatform.Api;
using Ingest.Connectors.Http;
using Ingest.Core.Connectors;
using Ingest.Core.Facts;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using static Ingest.Connectors.CloudPlatform.Normalization.CloudFacts;

namespace Ingest.Connectors.CloudPlatform.Normalization;

/// <summary>
/// The <c>cloud.*</c> facts of docs/domain.md from de-duplicated rows, for every school of the county and the county
/// itself (pure: rows in, facts out). County figures are ratios of sums over the county's rows, never a mean of
/// school ratios; the region is rolled up from the counties by the host. A ratio over zero is unknown, not 0.
/// </summary>
public static class CloudNormalizer
{

    /// <summary>Teacher activity → accounts, application index, space/assistant/app use rates, resources per teacher.</summary>
    /// <param name="schools">The county's schools from the directory: every active one gets facts, even with no teacher rows.</param>
    public static NormalizedRows TeacherActivity(string countyCode, Period period, IReadOnlyCollection<Organisation> schools,
        IEnumerable<TeacherActivityDto> rows, decimal spaceActiveAbove = CloudPlatformOptions.DefaultSpaceActiveExperience)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var tally = new TeacherActivityTally(spaceActiveAbove);
        foreach (var row in rows)
        {
            tally.Add(row);
        }

        return tally.Normalize(countyCode, period, schools);
    }

    /// <summary>
    /// School content → smart campus and portal flags, micro-lecture coverage, MOOCs, family lessons, course
    /// community subjects, famous-teacher studios. A school missing from the list had no content: counts 0, flags
    /// not opened, coverage unknown (0 ÷ 0). The county's flags count its unit schools (active, no parent school).
    /// </summary>
    public static NormalizedRows SchoolContent(string countyCode, Period period, IReadOnlyCollection<Organisation> schools,
        IReadOnlyCollection<SchoolContentDto> rows)
    {
        ArgumentNullException.ThrowIfNull(schools);
        ArgumentNullException.ThrowIfNull(rows);
        var listed = rows.Where(r => SchoolRows.IsSchoolCode(r.OrgCode)).ToDictionary(r => r.OrgCode!, StringComparer.Ordinal);
        var facts = new List<IndicatorFact>();
        foreach (var school in SchoolsToReport(schools, listed.Keys))
        {
            var row = listed.GetValueOrDefault(school) ?? new SchoolContentDto(school, false, false, 0, 0, 0, null, 0, 0, null, 0);
            facts.Add(Count(school, "cloud.smart_campus_opened", period, row.SmartCampusOpened ? 1 : 0));
            facts.Add(Count(school, "cloud.portal_opened", period, row.PortalOpened ? 1 : 0));
            facts.Add(Ratio(school, "cloud.kp_microlecture_coverage", period, row.KnowledgePointsCovered, row.KnowledgePointsTotal));
            facts.Add(Count(school, "cloud.theme_moocs", period, row.ThemeMoocs?.Values.Sum() ?? 0, Themes([row])));
            facts.Add(Count(school, "cloud.family_education_lessons", period, row.FamilyEducationLessons));
            var subjects = Subjects([row]);
            facts.Add(Count(school, "cloud.course_community_subjects", period, subjects.Length, CloudJsonContext.Detail(subjects)));
            facts.Add(Count(school, "cloud.active_famous_teacher_studios", period, row.ActiveFamousTeacherStudios));
        }

        var all = listed.Values;
        var unitSchools = schools.Where(s => s.IsUnitSchool).Select(s => listed.GetValueOrDefault(s.Code)).ToArray();
        var campus = unitSchools.Count(r => r?.SmartCampusOpened == true);
        var portal = unitSchools.Count(r => r?.PortalOpened == true);
        var unitDetail = $$"""{"unitSchools": {{unitSchools.Length}}}""";
        var countySubjects = Subjects(all);
        facts.Add(new IndicatorFact(countyCode, "cloud.smart_campus_opened", period.Code, Source, campus, campus, unitSchools.Length, "是否", unitDetail));
        facts.Add(new IndicatorFact(countyCode, "cloud.portal_opened", period.Code, Source, portal, portal, unitSchools.Length, "是否", unitDetail));
        facts.Add(Ratio(countyCode, "cloud.kp_microlecture_coverage", period, all.Sum(r => (decimal)r.KnowledgePointsCovered), all.Sum(r => (decimal)r.KnowledgePointsTotal)));
        facts.Add(Count(countyCode, "cloud.theme_moocs", period, all.Sum(r => r.ThemeMoocs?.Values.Sum() ?? 0), Themes(all)));
        facts.Add(Count(countyCode, "cloud.family_education_lessons", period, all.Sum(r => r.FamilyEducationLessons)));
        facts.Add(Count(countyCode, "cloud.course_community_subjects", period, countySubjects.Length, CloudJsonContext.Detail(countySubjects)));
        facts.Add(Count(countyCode, "cloud.active_famous_teacher_studios", period, all.Sum(r => r.ActiveFamousTeacherStudios)));
        var rejected = rows.Count - listed.Count;
        return new NormalizedRows(facts, rejected, SchoolRows.Notes(rejected, "without a school code", schools, listed.Keys));
    }

    /// <summary>Literacy assessment → excellent and pass rates over assessed teachers (level not null).</summary>
    public static NormalizedRows Literacy(string countyCode, Period period, IReadOnlyCollection<Organisation> schools,
        IEnumerable<LiteracyDto> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var tally = new LiteracyTally();
        foreach (var row in rows)
        {
            tally.Add(row);
        }

        return tally.Normalize(countyCode, period, schools);
    }

    /// <summary>Student spaces → active ÷ eligible students.</summary>
    public static NormalizedRows StudentSpace(string countyCode, Period period, IReadOnlyCollection<Organisation> schools,
        IReadOnlyCollection<StudentSpaceDto> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var usable = rows.Where(r => SchoolRows.IsSchoolCode(r.OrgCode) && r.EligibleStudents >= 0 && r.ActiveStudents >= 0 && r.ActiveStudents <= r.EligibleStudents).ToArray();
        var facts = usable
            .OrderBy(r => r.OrgCode, StringComparer.Ordinal)
            .Select(r => Ratio(r.OrgCode!, "cloud.student_space_active_rate", period, r.ActiveStudents, r.EligibleStudents))
            .ToList();
        facts.Add(Ratio(countyCode, "cloud.student_space_active_rate", period, usable.Sum(r => (decimal)r.ActiveStudents), usable.Sum(r => (decimal)r.EligibleStudents)));
        var rejected = rows.Count - usable.Length;
        return new NormalizedRows(facts, rejected, SchoolRows.Notes(rejected, "without a school code, with negative counts or more active than eligible students", schools, usable.Select(r => r.OrgCode!)));
    }

    /// <summary>Active schools of the directory and any school the rows name, in code order.</summary>
    internal static IEnumerable<string> SchoolsToReport(IEnumerable<Organisation> schools, IEnumerable<string> inRows) =>
        schools.Where(s => s.Level == OrgLevel.School && s.Active).Select(s => s.Code)
            .Union(inRows, StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

    private static string[] Subjects(IEnumerable<SchoolContentDto> rows) =>
        rows.SelectMany(r => r.CourseCommunitySubjects ?? []).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim())
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    private static string Themes(IEnumerable<SchoolContentDto> rows)
    {
        var totals = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (theme, count) in rows.SelectMany(r => r.ThemeMoocs ?? new Dictionary<string, int>()))
        {
            totals[theme] = totals.GetValueOrDefault(theme) + count;
        }

        return CloudJsonContext.Detail(new Dictionary<string, int>(totals, StringComparer.Ordinal));
    }
}
