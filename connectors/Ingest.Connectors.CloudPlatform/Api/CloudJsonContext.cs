using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

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
    /// <remarks>Built on first use: static initialisers of this partial class may run before the generated ones.</remarks>
    public static JsonSerializerOptions WebOptions => field ??= new(JsonSerializerDefaults.Web) { TypeInfoResolver = Default };

    /// <summary>For fact details: Chinese written as is, so a detail reads the way the upstream wrote it.</summary>
    private static JsonSerializerOptions DetailOptions =>
        field ??= new(JsonSerializerDefaults.Web) { TypeInfoResolver = Default, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Serialises a fact's detail (a subject list, a count per theme).</summary>
    public static string Detail<T>(T value) =>
        JsonSerializer.Serialize(value, (JsonTypeInfo<T>)DetailOptions.GetTypeInfo(typeof(T)));
}
