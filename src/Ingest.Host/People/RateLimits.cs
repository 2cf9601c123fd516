using System.Globalization;
using System.Threading.RateLimiting;
using Ingest.Application.People;

namespace Ingest.Host.People;

/// <summary>
/// ASP.NET Core's rate limiting in front of sign-in and tokens, a first line on each host: sign-in posts per client
/// address (here) and per login (<see cref="SignInThrottle"/>, which needs the form), token-authenticated requests per
/// token and per address. Beyond a limit the answer is 429 with Retry-After, before a password is hashed or a token
/// looked up. The limits hold per host; the lockout and the address throttle behind them live in PostgreSQL and hold
/// for every host together.
/// </summary>
public static class RateLimits
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddIngestRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var o = configuration.GetSection(PeopleOptions.Section).Get<PeopleOptions>() ?? new PeopleOptions();
        services.AddSingleton(new SignInThrottle(o.SignInsPerLoginPerMinute));
        services.AddRateLimiter(r =>
        {
            r.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => IsSignIn(http)
                    ? RateLimitPartition.GetFixedWindowLimiter("signin:" + Address(http), _ => Fixed(o.SignInsPerAddressPerMinute))
                    : Bearer(http) is not null
                        ? RateLimitPartition.GetFixedWindowLimiter("token-address:" + Address(http), _ => Fixed(o.TokenRequestsPerAddressPerMinute))
                        : RateLimitPartition.GetNoLimiter(string.Empty)),
                PartitionedRateLimiter.Create<HttpContext, string>(http => Bearer(http) is { } token
                    ? RateLimitPartition.GetFixedWindowLimiter("token:" + token, _ => Fixed(o.TokenRequestsPerMinute))
                    : RateLimitPartition.GetNoLimiter(string.Empty)));
            r.OnRejected = (context, ct) => RejectAsync(context.HttpContext, context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : Window, ct);
        });
        return services;
    }

    /// <summary>429 with Retry-After (whole seconds) and a message in Chinese: a problem for the API, a short page for a browser.</summary>
    internal static async ValueTask RejectAsync(HttpContext http, TimeSpan retryAfter, CancellationToken ct)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var message = $"请求过于频繁，请 {seconds} 秒后再试";
        if (PeopleServiceCollectionExtensions.IsApi(http.Request) || Bearer(http) is not null)
        {
            await http.Response.WriteAsJsonAsync(new { title = "请求过于频繁", status = 429, detail = message }, options: null, contentType: "application/problem+json", ct);
            return;
        }

        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>请求过于频繁</title></head>
            <body><main><h1>请求过于频繁</h1><p>{message}。</p><p><a href="/signin">返回登录</a></p></main></body></html>
            """, ct);
    }

    private static FixedWindowRateLimiterOptions Fixed(int permits) =>
        new() { PermitLimit = permits, Window = Window, QueueLimit = 0, AutoReplenishment = true };

    private static bool IsSignIn(HttpContext http) => HttpMethods.IsPost(http.Request.Method) && http.Request.Path.Equals("/signin", StringComparison.OrdinalIgnoreCase);

    private static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static string? Bearer(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }
}

/// <summary>Sign-in posts naming one login, a fixed window a minute, whether the login exists or not.</summary>
public sealed class SignInThrottle(int perMinute) : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(login =>
        RateLimitPartition.GetFixedWindowLimiter(login, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true,
        }));

    /// <summary>Null when a try may go ahead; else how long to wait.</summary>
    public TimeSpan? Refuse(string? login)
    {
        using var lease = limiter.AttemptAcquire((login ?? string.Empty).Trim().ToLowerInvariant());
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
    }

    public void Dispose() => limiter.Dispose();
}
