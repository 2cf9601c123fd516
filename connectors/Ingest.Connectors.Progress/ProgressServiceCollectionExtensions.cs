using Ingest.Connectors.Http;
using Ingest.Connectors.Progress.Api;
using Ingest.Connectors.Progress.Client;
using Ingest.Core.Connectors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace Ingest.Connectors.Progress;

public static class ProgressServiceCollectionExtensions
{
    /// <summary>
    /// Registers the progress-system connector when <c>Connectors:Progress:Enabled</c> is true: options validated at
    /// start-up, the Refit client with its API key behind one resilience pipeline, and the connector.
    /// </summary>
    public static IServiceCollection AddProgressConnector(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(ProgressOptions.Section);
        if (!section.GetValue<bool>(nameof(ProgressOptions.Enabled)))
        {
            return services;
        }

        var builder = services.AddOptions<ProgressOptions>().Bind(section).ValidateDataAnnotations();
        if (SettingsFiles.AppSettingsFileSetting(configuration, ProgressOptions.Section + ":ApiKey") is { } file)
        {
            builder.Validate(_ => false,
                $"Connectors:Progress:ApiKey is set in {file}: move it to the environment (Connectors__Progress__ApiKey) or user secrets.");
        }

        builder.ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ProgressLimiter>();
        services.TryAddSingleton<ProgressClient>();
        services.TryAddSingleton<SessionReader>();
        services.TryAddTransient<ApiKeyHandler>();
        var http = services.AddRefitGeneratedClient<IProgressApi>(new RefitSettings())
            .ConfigureHttpClient((sp, client) =>
            {
                client.BaseAddress = sp.GetRequiredService<IOptions<ProgressOptions>>().Value.BaseUrl;
                client.Timeout = Timeout.InfiniteTimeSpan; // the pipeline's total timeout governs
            })
            .AddHttpMessageHandler<ApiKeyHandler>();
        http.AddResilienceHandler("progress-system", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<ProgressOptions>>().Value;
                var limiter = context.ServiceProvider.GetRequiredService<ProgressLimiter>();
                pipeline
                    .AddTimeout(o.TotalTimeout)
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        // 503 (throttled above 5/s, honouring Retry-After), 500 under load, other 5xx, 408, timeouts, transport errors.
                        MaxRetryAttempts = o.MaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = o.RetryDelay,
                        ShouldRetryAfterHeader = true,
                    })
                    .AddRateLimiter(UpstreamMetrics.Timed(limiter.Concurrency, "progress", "concurrency"))
                    .AddRateLimiter(UpstreamMetrics.Timed(limiter.Rate, "progress", "rate"))
                    .AddTimeout(o.AttemptTimeout);
            });
        // Inside each attempt: error answers and timeouts are counted by code; the body is read within the attempt's
        // timeout, and an answer past the page budget stops.
        http.AddHttpMessageHandler(() => new UpstreamErrorsHandler("progress"));
        http.AddHttpMessageHandler(sp => new BufferedBodyHandler(sp.GetRequiredService<IOptions<ProgressOptions>>().Value.MaxPageBytes));
        services.TryAddSingleton<ProgressConnector>();
        services.AddSingleton<IConnector>(sp => sp.GetRequiredService<ProgressConnector>());
        return services;
    }
}

/// <summary>
/// The process-wide request budget for the progress system: at most <see cref="ProgressOptions.MaxConcurrentRequests"/>
/// in flight and <see cref="ProgressOptions.RequestsPerSecond"/> per second (the system throttles above 5 per key).
/// </summary>
public sealed class ProgressLimiter(IOptions<ProgressOptions> options, TimeProvider clock)
    : UpstreamLimiter(options.Value.MaxConcurrentRequests, options.Value.RequestsPerSecond, clock);
