namespace Ingest.Data.Embedded;

/// <summary>An exclusive lock on a file, held across processes until disposed.</summary>
internal sealed class FileGate : IDisposable
{
    private readonly FileStream stream;

    private FileGate(FileStream stream) => this.stream = stream;

    public static async Task<FileGate> AcquireAsync(string path, CancellationToken ct)
    {
        var waited = TimeSpan.Zero;
        var step = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                return new FileGate(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (waited < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(step, ct);
                waited += step;
            }
        }
    }

    public void Dispose() => stream.Dispose();
}
