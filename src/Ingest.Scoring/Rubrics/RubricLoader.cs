using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ingest.Scoring.Rubrics;

/// <summary>A rubric file that cannot be used; the message names the file and the item.</summary>
public sealed class RubricException(string message) : Exception(message);

/// <summary>
/// Reads a rubric file and validates it: points add up to each group, area and the rubric total; every fact it names
/// is in the indicator catalogue; every rule is complete and can give the item's full points and no more. The first
/// problem fails the load with a message naming the item.
/// </summary>
public static class RubricLoader
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Parses and validates <paramref name="json"/>; <paramref name="name"/> (the file) prefixes every error.</summary>
    /// <exception cref="RubricException">The file is not valid JSON of the expected shape, or the rubric is inconsistent.</exception>
    public static Rubric Parse(string json, string name)
    {
        RubricDto dto;
        try
        {
            dto = JsonSerializer.Deserialize<RubricDto>(json, Json) ?? throw new RubricException($"{name}: the file is empty.");
        }
        catch (JsonException e)
        {
            throw new RubricException($"{name}: not a rubric file ({e.Path}, line {e.LineNumber + 1}): {e.Message}");
        }

        return new RubricBuilder(name).Build(dto);
    }
}
