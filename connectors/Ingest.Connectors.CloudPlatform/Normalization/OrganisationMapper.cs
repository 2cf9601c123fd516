using System.Collections.Frozen;
using Ingest.Connectors.CloudPlatform.Api;
using Ingest.Core.Organisations;

namespace Ingest.Connectors.CloudPlatform.Normalization;

/// <summary>Maps <c>/api/v1/orgs</c> rows to the organisation directory (pure).</summary>
public static class OrganisationMapper
{
    /// <summary>
    /// The region's cities. The orgs endpoint lists counties and schools with a <c>cityCode</c> but has no city
    /// level, so the names come from the administrative division list.
    /// </summary>
    public static FrozenDictionary<string, string> Cities { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["640100"] = "银川市",
        ["640200"] = "石嘴山市",
        ["640300"] = "吴忠市",
        ["640400"] = "固原市",
        ["640500"] = "中卫市",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>A city from its code; an unknown code keeps the code as its name.</summary>
    public static Organisation City(string cityCode) =>
        new(cityCode, Cities.GetValueOrDefault(cityCode, cityCode), OrgLevel.City, Organisation.RegionCode);

    /// <summary>Counties of <c>level=county</c>, with their cities (parents first).</summary>
    public static IReadOnlyList<Organisation> Counties(IEnumerable<OrgDto> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var counties = rows
            .Where(r => IsCode(r.OrgCode, 6))
            .Select(r => new Organisation(r.OrgCode!, r.OrgName ?? r.OrgCode!, OrgLevel.County, CityOf(r.OrgCode!, r.CityCode)))
            .ToArray();
        return [.. counties.Select(c => c.ParentCode!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(City), .. counties];
    }

    /// <summary>One county's city, county and schools, from its <c>level=school</c> rows.</summary>
    public static IReadOnlyList<Organisation> County(string countyCode, IReadOnlyCollection<OrgDto> schools)
    {
        ArgumentNullException.ThrowIfNull(schools);
        var first = schools.FirstOrDefault();
        if (first is null)
        {
            return [];
        }

        var city = CityOf(countyCode, first.CityCode);
        return
        [
            City(city),
            new Organisation(countyCode, first.CountyName ?? countyCode, OrgLevel.County, city),
            .. Schools(countyCode, schools),
        ];
    }

    /// <summary>Schools of a county; rows without a 10-digit code are left out (the stream report counts them).</summary>
    public static IReadOnlyList<Organisation> Schools(string countyCode, IEnumerable<OrgDto> rows) =>
        rows.Where(r => IsCode(r.OrgCode, 10))
            .Select(r => new Organisation(
                r.OrgCode!,
                r.OrgName ?? r.OrgCode!,
                OrgLevel.School,
                countyCode,
                string.IsNullOrEmpty(r.ParentSchoolCode) ? null : r.ParentSchoolCode,
                r.SchoolType,
                r.IsTeachingPoint || r.SchoolType == "教学点",
                r.StudentCount,
                r.Status == 1))
            .ToArray();

    private static string CityOf(string countyCode, string? cityCode) =>
        IsCode(cityCode, 6) ? cityCode! : string.Concat(countyCode.AsSpan(0, 4), "00");

    private static bool IsCode(string? code, int length) => code is not null && code.Length == length && code.All(char.IsAsciiDigit);
}
