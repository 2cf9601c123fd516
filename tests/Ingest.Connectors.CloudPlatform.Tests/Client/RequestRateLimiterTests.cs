using Ingest.Connectors.Http;
using Microsoft.Extensions.Time.Testing;

namespace Ingest.Connectors.CloudPlatform.Tests.Client;

public sealed class RequestRateLimiterTests
{
    [Fact]
    public async Task AcquireAsync_WindowFull_WaitsUntilTheOldestSendIsAWindowOld()
    {
        var clock = new FakeTimeProvider();
        using var limiter = new RequestRateLimiter(2, clock);

        (await limiter.AcquireAsync()).IsAcquired.ShouldBeTrue();
        clock.Advance(TimeSpan.FromMilliseconds(400));
        (await limiter.AcquireAsync()).IsAcquired.ShouldBeTrue();
        var third = limiter.AcquireAsync().AsTask();
        var fourth = limiter.AcquireAsync().AsTask();

        // The window is 1 s plus 150 ms for the network: the first send leaves it at 1,150 ms.
        clock.Advance(TimeSpan.FromMilliseconds(749));
        third.IsCompleted.ShouldBeFalse();
        clock.Advance(TimeSpan.FromMilliseconds(1));
        (await third).IsAcquired.ShouldBeTrue();
        fourth.IsCompleted.ShouldBeFalse("the second send is 750 ms old; two sends are still in the window");
        clock.Advance(TimeSpan.FromMilliseconds(400));
        (await fourth).IsAcquired.ShouldBeTrue();
    }

    [Fact]
    public async Task AcquireAsync_WindowAlmostOver_WaitsAWholeMillisecondInsteadOfSpinning()
    {
        var clock = new FakeTimeProvider();
        using var limiter = new RequestRateLimiter(1, clock);
        await limiter.AcquireAsync();
        clock.Advance(TimeSpan.FromMilliseconds(1149.7));

        // 0.3 ms short of the window. A sub-millisecond delay completes at once, and the wait loop used to spin on
        // it without ever yielding: the call must come back with a pending wait instead.
        // StartNew, not Run: the outer task completes when the call returns, not when the lease is granted.
        var call = Task.Factory.StartNew(() => limiter.AcquireAsync().AsTask(), CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default);
        var returned = await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(2))) == call;
        clock.Advance(TimeSpan.FromMilliseconds(1)); // lets a spinning call out either way
        returned.ShouldBeTrue("AcquireAsync spun instead of waiting");
        var next = await call;
        (await next.WaitAsync(TimeSpan.FromSeconds(5))).IsAcquired.ShouldBeTrue();
    }
}
