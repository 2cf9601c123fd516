using System.Security.Cryptography;

namespace Ingest.Data.Files;

/// <summary>
/// Content in a local (or mounted) directory: <c>ab/cd/abcd…</c> by SHA-256. A file is written under a temporary name
/// and renamed into place, so a reader on any host sharing the directory sees all of it or none, and two hosts storing
/// the same content at once both succeed. Several hosts need the directory shared (a network mount) or an
/// S3-compatible store instead.
/// </summary>
public sealed class LocalContentStore(string root) : IContentStore
{
    public string Root { get; } = Path.GetFullPath(root);

    public async Task PutAsync(string sha256, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        var path = PathOf(sha256);
        if (File.Exists(path))
        {
            return;
        }

        if (!Convert.ToHexStringLower(SHA256.HashData(content.Span)).Equals(sha256, StringComparison.Ordinal))
        {
            throw new ArgumentException("The content's SHA-256 is not the name it is stored under.", nameof(sha256));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".part";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await file.WriteAsync(content, ct);
                await file.FlushAsync(ct);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    public Task<Stream?> OpenAsync(string sha256, CancellationToken ct)
    {
        var path = PathOf(sha256);
        return Task.FromResult<Stream?>(File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous) : null);
    }

    private string PathOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
        {
            throw new ArgumentException("Not a SHA-256 in lower-case hex.", nameof(sha256));
        }

        return Path.Combine(Root, sha256[..2], sha256[2..4], sha256);
    }
}
