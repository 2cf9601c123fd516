using System.Text.Json.Serialization;

namespace Ingest.Connectors.Progress.Api;

/// <summary>An online interactive classroom; <c>enabled:false</c> is out of use and does not count.</summary>
public sealed record ClassroomDto(string? ClassroomId, string? SchoolCode, string? Type, bool Enabled, DateOnly? CommissionedOn);

/// <summary>A "三个课堂" session: one lesson (课时) for the host school and for each receiving school.</summary>
public sealed record SessionDto(
    long Id,
    string? ClassroomId,
    string? HostSchoolCode,
    IReadOnlyList<string>? ReceivingSchoolCodes,
    string? Mode,
    DateTimeOffset Start,
    int Minutes,
    string? Status)
{
    public const string Completed = "COMPLETED";
}

/// <summary>One page of the session listing; <c>totalElements</c> is the count at the time of that page.</summary>
public sealed record SessionPageDto(
    IReadOnlyList<SessionDto>? Content,
    int Number,
    int Size,
    long TotalElements,
    int TotalPages,
    bool Last);

/// <summary>System.Text.Json source generation for the API's answers (camelCase, as the upstream writes).</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ClassroomDto[]))]
[JsonSerializable(typeof(SessionPageDto))]
[JsonSerializable(typeof(SessionDto))]
[JsonSerializable(typeof(Dictionary<string, object>))]
[JsonSerializable(typeof(string[]))]
public sealed partial class ProgressJsonContext : JsonSerializerContext;
