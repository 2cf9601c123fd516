namespace Ingest.Scoring.Rubrics;

// The rubric file as read, every field optional so that a missing one is named by the builder, not by the parser.
internal sealed record RubricDto(string? Id, string? Kind, string? Title, string? Source, decimal? Total,
    IReadOnlyList<StarLevelDto>? StarLevels, int? VetoFromStars, IReadOnlyList<AreaDto>? Areas, string? Note);

internal sealed record StarLevelDto(int Stars, decimal Min);

internal sealed record AreaDto(string? Code, string? Name, decimal? Points, bool? Bonus, string? Note, IReadOnlyList<GroupDto>? Groups);

internal sealed record GroupDto(string? Name, decimal? Points, IReadOnlyList<ItemDto>? Items);

internal sealed record ItemDto(string? Number, string? Text, decimal? Points, bool? Veto, RuleDto? Rule, string? OnSite);

internal sealed record RuleDto(string? Kind, InputDto? Input, decimal? Min, decimal? Score, IReadOnlyList<BandDto>? Bands, decimal? Otherwise,
    decimal? Higher, decimal? Equal, decimal? Lower, IReadOnlyList<CountDto>? Counts, decimal? Cap, string? Label, bool? OverridesArea,
    string? Failing, string? Unknown, string? ConfirmOnSite, IReadOnlyList<PartDto>? Parts);

internal sealed record InputDto(string? Fact, string? Period, string? Measure, string? Count, string? Label);

internal sealed record BandDto(decimal Min, decimal Score);

internal sealed record CountDto(string? Key, string? Label, decimal? Each, bool? Once);

internal sealed record PartDto(string? Key, string? Label, decimal? Points, RuleDto? Rule);
