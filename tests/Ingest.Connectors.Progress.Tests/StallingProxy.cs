using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ingest.Connectors.Progress.Tests;

/// <summary>
/// A plain HTTP/1.1 proxy in front of a fake upstream, on a dynamic loopback port. Each answer is passed on whole,
/// except the first <c>stallFirst</c> ones: of those the client gets the headers and half the body, then nothing more
/// until it gives up, as an upstream that stalls mid-answer does. An answer larger than <c>padTo</c> bytes is not made;
/// with <c>padTo</c> set, every passed answer is announced (Content-Length) at that size or more, for budget tests.
/// </summary>
public sealed class StallingProxy : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly Uri upstream;
    private readonly CancellationTokenSource stop = new();
    private int stallsLeft;
    private int requests;

    public StallingProxy(string upstreamUrl, int stallFirst)
    {
        upstream = new Uri(upstreamUrl);
        stallsLeft = stallFirst;
        listener.Start();
        _ = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

    /// <summary>Requests the proxy received.</summary>
    public int Requests => Volatile.Read(ref requests);

    /// <summary>Answers it stalled.</summary>
    public int Stalled { get; private set; }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadHeadAsync(stream);
                if (request is null)
                {
                    return;
                }

                Interlocked.Increment(ref requests);
                // Forwarded with the connection closed after the answer, so the answer ends where the stream does.
                var head = request.Replace("\r\nConnection: keep-alive", string.Empty, StringComparison.OrdinalIgnoreCase);
                head = head[..^4] + "\r\nConnection: close\r\n\r\n";
                using var upstreamClient = new TcpClient();
                await upstreamClient.ConnectAsync(upstream.Host, upstream.Port, stop.Token);
                var upstreamStream = upstreamClient.GetStream();
                await upstreamStream.WriteAsync(Encoding.ASCII.GetBytes(head), stop.Token);
                using var answer = new MemoryStream();
                await upstreamStream.CopyToAsync(answer, stop.Token);
                var bytes = answer.ToArray();
                if (Interlocked.Decrement(ref stallsLeft) >= 0)
                {
                    Stalled++;
                    var bodyStart = IndexOf(bytes, "\r\n\r\n"u8.ToArray()) + 4;
                    await stream.WriteAsync(bytes.AsMemory(0, bodyStart + (bytes.Length - bodyStart) / 2), stop.Token);
                    await stream.FlushAsync(stop.Token);
                    // Nothing more: the client's attempt has to time out.
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }

                await stream.WriteAsync(bytes, stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client gave up on a stalled answer, or the proxy is stopping.
            }
        }
    }

    private static async Task<string?> ReadHeadAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            buffer.Add(one[0]);
            if (buffer.Count >= 4 && buffer[^1] == '\n' && buffer[^2] == '\r' && buffer[^3] == '\n' && buffer[^4] == '\r')
            {
                return Encoding.ASCII.GetString(buffer.ToArray());
            }
        }

        return null;
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return i;
            }
        }

        return -1;
    }
}
