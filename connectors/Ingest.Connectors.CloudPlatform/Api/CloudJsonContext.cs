using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ingest.Connectors.CloudPlatform.Api;

/// <summary>System.Text.Json source generation for every answer of the API (camelCase, as the upstream writes).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(Dictionary<string, int>))]
[JsonSerializable(typeof(Envelope<JsonElement>))]
[JsonSerializable(typeof(Envelope<PageData<OrgDto>>))]
[JsonSerializable(typeof(Envelope<CursorData<TeacherActivityDto>>))]
[JsonSerializable(typeof(Envelope<PageData<SchoolContentDto>>))]
[JsonSerializable(typeof(Envelope<PageData<LiteracyDto>>))]
[JsonSerializable(typeof(Envelope<PageData<StudentSpaceDto>>))]
public sealed partial class CloudJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Options over this context. Built on <see cref="JsonSerializerDefaults.Web"/>: the same context on
    /// default options reads every camelCase field as null.
    /// </summary>
    public static JsonSerializerOptions WebOptions { get; } =
        new(JsonSerializerDefaults.Web) { TypeInfoResolver = Default };
}
