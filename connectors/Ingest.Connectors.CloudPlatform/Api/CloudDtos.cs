using System.Text.Json.Serialization;

namespace Ingest.Connectors.CloudPlatform.Api;

/// <summary>The OAuth2 token answer.</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

/// <summary>The envelope of every <c>/api/v1</c> answer: <c>code</c> 0 is success, anything else an error.</summary>
public sealed record Envelope<T>(int Code, string? Message, string? RequestId, T? Data);

/// <summary>Page-style data: <c>total</c>, <c>pageNo</c>, <c>pageSize</c>, <c>list</c>.</summary>
public sealed record PageData<T>(long Total, int PageNo, int PageSize, IReadOnlyList<T>? List);

/// <summary>Cursor-style data: <c>list</c>, <c>nextCursor</c>, <c>hasMore</c>.</summary>
public sealed record CursorData<T>(IReadOnlyList<T>? List, string? NextCursor, bool HasMore);

/// <summary>A county or school of <c>/api/v1/orgs</c>.</summary>
public sealed record OrgDto(
    string? OrgCode,
    string? OrgName,
    string? OrgLevel,
    string? CountyCode,
    string? CountyName,
    string? CityCode,
    string? SchoolType,
    bool IsTeachingPoint,
    string? ParentSchoolCode,
    int? StudentCount,
    int Status = 1);

/// <summary>One teacher account's activity over the period.</summary>
public sealed record TeacherActivityDto(
    string? UserId,
    string? OrgCode,
    decimal AnnualPoints,
    bool SpaceOpened,
    decimal SpaceExperience,
    int AssistantActiveDays,
    int AppActiveDays,
    int ResourcesUploaded,
    int ResourcesShared,
    DateTimeOffset? UpdatedAt);

/// <summary>One school's content over the period; a school with none is missing from the list.</summary>
public sealed record SchoolContentDto(
    string? OrgCode,
    bool SmartCampusOpened,
    bool PortalOpened,
    int MicroLectures,
    int KnowledgePointsTotal,
    int KnowledgePointsCovered,
    IReadOnlyDictionary<string, int>? ThemeMoocs,
    int FamilyEducationLessons,
    int CourseCommunities,
    IReadOnlyList<string>? CourseCommunitySubjects,
    int ActiveFamousTeacherStudios);

/// <summary>One teacher due for the literacy assessment; <c>level</c> null when not yet assessed.</summary>
public sealed record LiteracyDto(string? UserId, string? OrgCode, string? Level);

/// <summary>One school's student learning spaces over the period.</summary>
public sealed record StudentSpaceDto(string? OrgCode, int EligibleStudents, int ActiveStudents);
