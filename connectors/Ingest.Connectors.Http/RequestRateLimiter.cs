using System.Diagnostics.CodeAnalysis;
using System.Threading.RateLimiting;

namespace Ingest.Connectors.Http;

/// <summary>
/// At most N requests in any window of one second (plus a margin for the network), by keeping the send times of
/// the last N requests: a request waits until the oldest of them is a full window old. The framework's window
/// and bucket limiters replenish on timer ticks, which lets N + 1 requests into some one-second spans; the
/// upstreams count those spans exactly and answer 429 or 503.
/// </summary>
public sealed class RequestRateLimiter : RateLimiter
{
    /// <summary>Requests can reach the upstream closer together than they left; the window allows for that.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1) + TimeSpan.FromMilliseconds(150);

    private readonly int perWindow;
    private readonly TimeProvider clock;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Queue<long> sent = new();
    private long? idleSince;

    public RequestRateLimiter(int perSecond, TimeProvider clock)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perSecond, 1);
        perWindow = perSecond;
        this.clock = clock ?? throw new ArgumentNullException(nameof(clock));
        idleSince = clock.GetTimestamp();
    }

    public override TimeSpan? IdleDuration => idleSince is { } t ? clock.GetElapsedTime(t) : null;

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        if (!gate.Wait(0))
        {
            return Lease.Refused;
        }

        try
        {
            Expire();
            return sent.Count < perWindow ? Take() : Lease.Refused;
        }
        finally
        {
            gate.Release();
        }
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            idleSince = null;
            while (Expire() is { } wait)
            {
                await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
            }

            return Take();
        }
        finally
        {
            idleSince = clock.GetTimestamp();
            gate.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            gate.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Drops send times older than the window; returns how long to wait (whole milliseconds) when the window is still full.</summary>
    private TimeSpan? Expire()
    {
        while (sent.Count > 0 && clock.GetElapsedTime(sent.Peek()) >= Window)
        {
            sent.Dequeue();
        }

        if (sent.Count < perWindow)
        {
            return null;
        }

        // Whole milliseconds, at least one: a delay under a millisecond completes at once, and the loop that
        // waits on it spun holding the gate (a run saw a request wait a full minute behind it).
        var wait = Window - clock.GetElapsedTime(sent.Peek());
        return TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(wait.TotalMilliseconds)));
    }

    private Lease Take()
    {
        sent.Enqueue(clock.GetTimestamp());
        return Lease.Acquired;
    }

    private sealed class Lease(bool acquired) : RateLimitLease
    {
        public static readonly Lease Acquired = new(true);
        public static readonly Lease Refused = new(false);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, [NotNullWhen(true)] out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
