using Ingest.Connectors.CloudPlatform.Api;
using Ingest.Connectors.Http;
using Ingest.Core.Connectors;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using static Ingest.Connectors.CloudPlatform.Normalization.CloudFacts;

namespace Ingest.Connectors.CloudPlatform.Normalization;

/// <summary>
/// The teacher-activity facts of a county, added up one teacher row at a time: what it holds grows with the county's
/// schools, never with its teachers. Every figure is a count or a sum, so the order the rows come in does not matter.
/// </summary>
/// <param name="spaceActiveAbove">
/// A teacher's space is active when opened and its experience is above this (<see cref="CloudPlatformOptions.SpaceActiveExperience"/>).
/// </param>
public sealed class TeacherActivityTally(decimal spaceActiveAbove = CloudPlatformOptions.DefaultSpaceActiveExperience)
{
    private readonly Dictionary<string, Teachers> bySchool = new(StringComparer.Ordinal);
    private readonly Teachers county = new(spaceActiveAbove);
    private int rows;

    /// <summary>Adds one de-duplicated teacher row.</summary>
    public void Add(TeacherActivityDto row)
    {
        ArgumentNullException.ThrowIfNull(row);
        rows++;
        if (!SchoolRows.IsSchoolCode(row.OrgCode))
        {
            return;
        }

        if (!bySchool.TryGetValue(row.OrgCode!, out var school))
        {
            bySchool[row.OrgCode!] = school = new Teachers(spaceActiveAbove);
        }

        school.Add(row);
        county.Add(row);
    }

    /// <param name="schools">The county's schools from the directory: every active one gets facts, even with no teacher rows.</param>
    public NormalizedRows Normalize(string countyCode, Period period, IReadOnlyCollection<Organisation> schools)
    {
        var facts = CloudNormalizer.SchoolsToReport(schools, bySchool.Keys)
            .SelectMany(school => (bySchool.GetValueOrDefault(school) ?? new Teachers(spaceActiveAbove)).Facts(school, period))
            .Concat(county.Facts(countyCode, period))
            .ToList();
        var rejected = rows - (int)county.Accounts;
        return new NormalizedRows(facts, rejected, SchoolRows.Notes(rejected, "without a school code", schools, bySchool.Keys));
    }

    private sealed class Teachers(decimal spaceActiveAbove)
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
            spaceActive += t.SpaceOpened && t.SpaceExperience > spaceActiveAbove ? 1 : 0;
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

