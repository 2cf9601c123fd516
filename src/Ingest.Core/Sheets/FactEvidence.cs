namespace Ingest.Core.Sheets;

/// <summary>A stored fact as evidence for a score: the figure, its period and source, and the run that recorded it.</summary>
public sealed record FactEvidence(
    string OrgCode,
    string Indicator,
    string Period,
    string Source,
    decimal? Value,
    decimal? Numerator,
    decimal? Denominator,
    string? Detail,
    long RunId,
    DateTimeOffset FetchedAt);
