using System.Globalization;
using Ingest.Connectors.CloudPlatform.Api;
using Ingest.Core.Connectors;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using static Ingest.Connectors.CloudPlatform.Normalization.CloudFacts;

namespace Ingest.Connectors.CloudPlatform.Normalization;

/// <summary>
/// The teacher-activity facts of a county, added up one teacher row at a time: what it holds grows with the county's
/// schools, never with its teachers. Every figure is a count or a sum, so the order the rows come in does not matter.
/// </summary>
public sealed class TeacherActivityTally
{
    private readonly Dictionary<string, Teachers> bySchool = new(StringComparer.Ordinal);
    private readonly Teachers county = new();
    private int rows;

    /// <summary>Adds one de-duplicated teacher row.</summary>
    public void Add(TeacherActivityDto row)
    {
        ArgumentNullException.ThrowIfNull(row);
        rows++;
        if (!CloudNormalizer.HasSchoolCode(row.OrgCode))
        {
            return;
        }

        if (!bySchool.TryGetValue(row.OrgCode!, out var school))
        {
            bySchool[row.OrgCode!] = school = new Teachers();
        }

        school.Add(row);
        county.Add(row);
    }

    /// <param name="schools">The county's schools from the directory: every active one gets facts, even with no teacher rows.</param>
    public NormalizedRows Normalize(string countyCode, Period period, IReadOnlyCollection<Organisation> schools)
    {
        var facts = CloudNormalizer.SchoolsToReport(schools, bySchool.Keys)
            .SelectMany(school => (bySchool.GetValueOrDefault(school) ?? new Teachers()).Facts(school, period))
            .Concat(county.Facts(countyCode, period))
            .ToList();
        var rejected = rows - (int)county.Accounts;
        return new NormalizedRows(facts, rejected, CloudNormalizer.Notes(rejected, "without a school code", schools, bySchool.Keys));
    }

    private sealed class Teachers
    {
        private decimal points;
        private decimal uploaded;
        private decimal shared;
        private int spaceActive;
        private int assistant;
        private int app;

        public decimal Accounts { get; private set; }

        public void Add(TeacherActivityDto t)
        {
            Accounts++;
            points += t.AnnualPoints;
            spaceActive += t.SpaceOpened && t.SpaceExperience > 60 ? 1 : 0;
            assistant += t.AssistantActiveDays >= 1 ? 1 : 0;
            app += t.AppActiveDays >= 1 ? 1 : 0;
            uploaded += t.ResourcesUploaded;
            shared += t.ResourcesShared;
        }

        public IEnumerable<Core.Facts.IndicatorFact> Facts(string org, Period period)
        {
            yield return Count(org, "cloud.teacher_accounts", period, Accounts);
            yield return Ratio(org, "cloud.app_index", period, points, Accounts);
            yield return Ratio(org, "cloud.space_active_rate", period, spaceActive, Accounts);
            yield return Ratio(org, "cloud.assistant_use_rate", period, assistant, Accounts);
            yield return Ratio(org, "cloud.app_use_rate", period, app, Accounts);
            yield return Ratio(org, "cloud.resources_uploaded_per_teacher", period, uploaded, Accounts);
            yield return Ratio(org, "cloud.resources_shared_per_teacher", period, shared, Accounts);
        }
    }
}

/// <summary>
/// The literacy-assessment facts of a county, added up one teacher row at a time: excellent and pass rates over the
/// teachers assessed (level not null); only schools with teachers due this year are listed.
/// </summary>
public sealed class LiteracyTally
{
    private static readonly string[] Levels = ["优秀", "良好", "合格", "不合格"];
    private readonly SortedDictionary<string, Due> bySchool = new(StringComparer.Ordinal);
    private readonly Due county = new();
    private int rows;

    /// <summary>Adds one de-duplicated teacher row.</summary>
    public void Add(LiteracyDto row)
    {
        ArgumentNullException.ThrowIfNull(row);
        rows++;
        if (!CloudNormalizer.HasSchoolCode(row.OrgCode) || (row.Level is not null && !Levels.Contains(row.Level)))
        {
            return;
        }

        if (!bySchool.TryGetValue(row.OrgCode!, out var school))
        {
            bySchool[row.OrgCode!] = school = new Due();
        }

        school.Add(row.Level);
        county.Add(row.Level);
    }

    public NormalizedRows Normalize(string countyCode, Period period, IReadOnlyCollection<Organisation> schools)
    {
        // A school with no teacher due this year has no rate to give.
        var facts = bySchool.SelectMany(s => s.Value.Facts(s.Key, period)).Concat(county.Facts(countyCode, period)).ToList();
        var rejected = rows - county.Teachers;
        return new NormalizedRows(facts, rejected, CloudNormalizer.Notes(rejected,
            "without a school code or with a level other than 优秀/良好/合格/不合格/null", schools, bySchool.Keys));
    }

    private sealed class Due
    {
        private int assessed;
        private int excellent;
        private int passed;

        public int Teachers { get; private set; }

        public void Add(string? level)
        {
            Teachers++;
            assessed += level is null ? 0 : 1;
            excellent += level == "优秀" ? 1 : 0;
            passed += level is "优秀" or "良好" or "合格" ? 1 : 0;
        }

        public IEnumerable<Core.Facts.IndicatorFact> Facts(string org, Period period)
        {
            var detail = string.Create(CultureInfo.InvariantCulture, $$"""{"due": {{Teachers}}, "assessed": {{assessed}}}""");
            yield return Ratio(org, "cloud.literacy_excellent_rate", period, excellent, assessed, detail);
            yield return Ratio(org, "cloud.literacy_pass_rate", period, passed, assessed, detail);
        }
    }
}
