using System.Globalization;
using Ingest.Connectors.CloudPlatform.Api;
using Ingest.Connectors.Http;
using Ingest.Core.Connectors;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using static Ingest.Connectors.CloudPlatform.Normalization.CloudFacts;

namespace Ingest.Connectors.CloudPlatform.Normalization;

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
        if (!SchoolRows.IsSchoolCode(row.OrgCode) || (row.Level is not null && !Levels.Contains(row.Level)))
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
        return new NormalizedRows(facts, rejected, SchoolRows.Notes(rejected,
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
