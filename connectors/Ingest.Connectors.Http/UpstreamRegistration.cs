using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace Ingest.Connectors.Http;

/// <summary>How an upstream is registered: its name in the metrics and the pipeline, its section, its secret, its Refit settings.</summary>
/// <param name="Metric">The connector's name in the upstream metrics ("cloud").</param>
/// <param name="Pipeline">The resilience pipeline's name ("cloud-platform").</param>
/// <param name="SecretKey">The setting that holds the secret (under the section), refused when an appsettings file sets it.</param>
public sealed record Upstream(string Metric, string Pipeline, string Section, string SecretKey, RefitSettings Refit);

/// <summary>The registration every upstream shares, so that each reads through the same pipeline.</summary>
public static class UpstreamRegistration
{
    /// <summary>True when the section turns the connector on.</summary>
    public static bool IsEnabled(IConfiguration configuration, string section)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetSection(section).GetValue<bool>(nameof(UpstreamOptions.Enabled));
    }

    /// <summary>
    /// Registers the options (their data annotations and the shared settings validated at start-up; the secret refused
    /// from an appsettings file), the upstream's request budget, and the Refit client behind one resilience pipeline: a
    /// total timeout, jittered exponential retries honouring Retry-After (429, 5xx including gateways' HTML answers, 408,
    /// timeouts, transport errors), the concurrency and rate budget, and a timeout per attempt; inside each attempt,
    /// error answers counted by code, and the body read within the attempt's timeout and bounded in bytes.
    /// </summary>
    /// <param name="outer">Handlers that run once per request, outside the pipeline (the progress system's API key).</param>
    public static IHttpClientBuilder AddUpstreamClient<TApi, TOptions, TLimiter>(this IServiceCollection services, IConfiguration configuration, Upstream upstream,
        Action<IHttpClientBuilder>? outer = null)
        where TApi : class
        where TOptions : UpstreamOptions
        where TLimiter : UpstreamLimiter
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(upstream);
        var builder = services.AddOptions<TOptions>().Bind(configuration.GetSection(upstream.Section)).ValidateDataAnnotations();
        var secret = $"{upstream.Section}:{upstream.SecretKey}";
        if (SettingsFiles.AppSettingsFileSetting(configuration, secret) is { } file)
        {
            builder.Validate(_ => false,
                $"{secret} is set in {file}: move it to the environment ({secret.Replace(":", "__", StringComparison.Ordinal)}) or user secrets.");
        }

        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, UpstreamOptionsValidator<TOptions>>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TLimiter>();
        var http = services.AddRefitGeneratedClient<TApi>(upstream.Refit)
            .ConfigureHttpClient((sp, client) =>
            {
                client.BaseAddress = sp.GetRequiredService<IOptions<TOptions>>().Value.BaseUrl;
                client.Timeout = Timeout.InfiniteTimeSpan; // the pipeline's total timeout governs
            });
        outer?.Invoke(http);
        http.AddResilienceHandler(upstream.Pipeline, (pipeline, context) =>
        {
            var o = context.ServiceProvider.GetRequiredService<IOptions<TOptions>>().Value;
            var limiter = context.ServiceProvider.GetRequiredService<TLimiter>();
            pipeline
                .AddTimeout(o.TotalTimeout)
                .AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = o.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = o.RetryDelay,
                    ShouldRetryAfterHeader = true,
                })
                .AddRateLimiter(UpstreamMetrics.Timed(limiter.Concurrency, upstream.Metric, "concurrency"))
                .AddRateLimiter(UpstreamMetrics.Timed(limiter.Rate, upstream.Metric, "rate"))
                .AddTimeout(o.AttemptTimeout);
        });
        http.AddHttpMessageHandler(() => new UpstreamErrorsHandler(upstream.Metric));
        http.AddHttpMessageHandler(sp => new BufferedBodyHandler(sp.GetRequiredService<IOptions<TOptions>>().Value.MaxPageBytes));
        return http;
    }
}
