namespace Ingest.Data.Raw;

/// <summary>Where an archived answer sits and what it was, without its body: the evidence a figure points to.</summary>
/// <param name="Mentions">Whether the body names the organisation asked about (its code appears in it).</param>
public sealed record RawPageRef(long Id, long RunId, string Connector, string Stream, string? CountyCode, string? Period, int Sequence, string Request,
    int HttpStatus, string? ContentType, int Bytes, string Sha256, DateTimeOffset FetchedAt, bool Mentions);
