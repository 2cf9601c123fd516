using Microsoft.Extensions.Time.Testing;

namespace Ingest.Connectors.CloudPlatform.Tests.Client;

public sealed class TokenCacheTests
{
    [Fact]
    public async Task ReadCountyAsync_TokenStillValid_IsReusedAndRenewedOnlyNearItsExpiry()
    {
        // The fake's tokens announce expires_in 7200; the client renews 60 s before that. Tokens are counted as the
        // API calls present them: a token answer the client timed out on (a cold start on a slow machine) is not one it used.
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2024-12-01T01:30:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        using var harness = new CloudHarness(tokenClock: clock);

        await harness.ReadAsync("640424", "2024");
        await harness.ReadAsync("640422", "2024");
        var afterTwoReads = harness.Fake.TokensUsed;
        clock.Advance(TimeSpan.FromSeconds(7200 - 61));
        await harness.ReadAsync("640424", "2024");
        var beforeMargin = harness.Fake.TokensUsed;
        clock.Advance(TimeSpan.FromSeconds(2));
        await harness.ReadAsync("640424", "2024");

        afterTwoReads.ShouldBe(1, "both reads share the first token");
        beforeMargin.ShouldBe(1, "61 s before expiry the token is still used");
        harness.Fake.TokensUsed.ShouldBe(2, "59 s before expiry it is renewed");
    }
}
