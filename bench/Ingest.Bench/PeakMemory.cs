using System.Diagnostics;

namespace Ingest.Bench;

/// <summary>
/// The most managed heap in use while a phase runs, sampled every few milliseconds after a full collection at its start:
/// what the phase holds at once, not what the process kept from the phases before.
/// </summary>
internal sealed class PeakMemory : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task sampler;
    private long peak;

    private PeakMemory(TimeSpan? live = null)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        Baseline = GC.GetTotalMemory(forceFullCollection: true);
        peak = Baseline;
        sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: live is not null));
                try
                {
                    await Task.Delay(live ?? TimeSpan.FromMilliseconds(5), stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
    }

    public long Baseline { get; }

    /// <summary>The highest heap seen above the baseline, in MiB.</summary>
    public double PeakMiB => (Math.Max(peak, GC.GetTotalMemory(false)) - Baseline) / 1048576.0;

    public static PeakMemory Start() => new();

    /// <summary>
    /// Samples the live heap only: a full collection before each sample, every <paramref name="every"/>. Slower, but
    /// garbage not yet collected does not count, so what a phase holds can be compared across sizes.
    /// </summary>
    public static PeakMemory StartLive(TimeSpan every) => new(every);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await sampler;
        stop.Dispose();
    }

    public static double ProcessPeakMiB => Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
}
