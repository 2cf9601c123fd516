namespace Ingest.Core.Organisations;

/// <summary>Level of an organisation in the region → city → county → school tree.</summary>
public enum OrgLevel
{
    Region,
    City,
    County,
    School,
}

/// <summary>
/// An organisation of the region: the region (640000), a city (6 digits ending 00), a county
/// (6-digit division code) or a school (10-digit 学校标识码).
/// </summary>
/// <param name="Code">Organisation code as the upstreams write it.</param>
/// <param name="Name">Chinese name.</param>
/// <param name="Level">Place in the tree.</param>
/// <param name="ParentCode">The organisation one level up (school → county → city → region); null for the region.</param>
/// <param name="ParentSchoolCode">For a teaching point or a village school under 100 students, the township
/// centre school it is attached to (it counts through that school); otherwise null.</param>
/// <param name="SchoolType">小学, 初级中学, … 教学点; null above school level.</param>
/// <param name="IsTeachingPoint">True for a 教学点.</param>
/// <param name="StudentCount">Students on roll, when the upstream gives it.</param>
/// <param name="Active">False for a closed school, which stays listed.</param>
public sealed record Organisation(
    string Code,
    string Name,
    OrgLevel Level,
    string? ParentCode,
    string? ParentSchoolCode = null,
    string? SchoolType = null,
    bool IsTeachingPoint = false,
    int? StudentCount = null,
    bool Active = true)
{
    /// <summary>The region's code (宁夏回族自治区).</summary>
    public const string RegionCode = "640000";

    /// <summary>
    /// A unit school (docs/domain.md): an active school that is not attached to a parent school.
    /// County "every school" items are judged over unit schools.
    /// </summary>
    public bool IsUnitSchool => Level == OrgLevel.School && Active && ParentSchoolCode is null;
}
