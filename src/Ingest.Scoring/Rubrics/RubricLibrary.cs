using Ingest.Core.Periods;

namespace Ingest.Scoring.Rubrics;

/// <summary>The rubrics shipped with the service (embedded <c>Rubrics/*.json</c>), loaded and validated once.</summary>
public static class RubricLibrary
{
    /// <summary>The school standard of 宁教发〔2022〕33号.</summary>
    public const string School2022 = "school-2022";

    /// <summary>The county standard (试行).</summary>
    public const string CountyTrial = "county-trial";

    private static readonly Lazy<IReadOnlyList<Rubric>> Loaded = new(LoadAll);

    /// <summary>Every shipped rubric.</summary>
    public static IReadOnlyList<Rubric> All => Loaded.Value;

    /// <summary>The rubric with <paramref name="id"/>.</summary>
    /// <exception cref="KeyNotFoundException">No shipped rubric has that id.</exception>
    public static Rubric Get(string id) =>
        All.FirstOrDefault(r => r.Id == id)
        ?? throw new KeyNotFoundException($"No rubric '{id}'; the rubrics are {string.Join(", ", All.Select(r => r.Id))}.");

    /// <summary>The rubric a cycle of <paramref name="kind"/> rates against by default.</summary>
    public static Rubric Default(RubricKind kind) => Get(kind == RubricKind.School ? School2022 : CountyTrial);

    private static Rubric[] LoadAll()
    {
        var assembly = typeof(RubricLibrary).Assembly;
        const string prefix = "Ingest.Scoring.Rubrics.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return RubricLoader.Parse(reader.ReadToEnd(), "Rubrics/" + n[prefix.Length..]);
            })
            .ToArray();
    }
}
