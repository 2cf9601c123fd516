namespace Ingest.Data.Files;

/// <summary>
/// Where uploaded files' bytes live, addressed by their SHA-256 (64 lower-case hex digits): the same content is stored
/// once, whoever uploads it and however often, and a name never points at other bytes. Rows in PostgreSQL say which file
/// is whose; this holds only content. Nothing is ever deleted through it: a removed file's content stays for the trail.
/// Shaped for a local directory (<see cref="LocalContentStore"/>) and an S3-compatible bucket alike (docs/adr/0001).
/// </summary>
public interface IContentStore
{
    /// <summary>Stores <paramref name="content"/> under <paramref name="sha256"/>, which the caller computed from it; storing what is there already does nothing.</summary>
    Task PutAsync(string sha256, ReadOnlyMemory<byte> content, CancellationToken ct);

    /// <summary>The content stored under <paramref name="sha256"/>, or null when there is none.</summary>
    Task<Stream?> OpenAsync(string sha256, CancellationToken ct);
}
