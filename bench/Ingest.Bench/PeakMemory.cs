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

    private PeakMemory()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        Baseline = GC.GetTotalMemory(forceFullCollection: true);
        peak = Baseline;
        sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                try
                {
                    await Task.Delay(5, stop.Token);
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

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await sampler;
        stop.Dispose();
    }

    public static double ProcessPeakMiB => Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
}
