using Ingest.Connectors.CloudPlatform.Api;
using Ingest.Connectors.CloudPlatform.Client;
using Ingest.Connectors.Http;
using Ingest.Core.Connectors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace Ingest.Connectors.CloudPlatform;

public static class CloudPlatformServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Education Cloud connector when <c>Connectors:CloudPlatform:Enabled</c> is true: options
    /// validated at start-up, the Refit client behind one resilience pipeline, and the connector as both
    /// <see cref="IConnector"/> and the region's <see cref="IOrganisationDirectory"/>.
    /// </summary>
    public static IServiceCollection AddCloudPlatformConnector(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(CloudPlatformOptions.Section);
        if (!section.GetValue<bool>(nameof(CloudPlatformOptions.Enabled)))
        {
            return services;
        }

        var builder = services.AddOptions<CloudPlatformOptions>().Bind(section).ValidateDataAnnotations();
        if (SettingsFiles.AppSettingsFileSetting(configuration, CloudPlatformOptions.Section + ":ClientSecret") is { } file)
        {
            builder.Validate(_ => false,
                $"Connectors:CloudPlatform:ClientSecret is set in {file}: move it to the environment (Connectors__CloudPlatform__ClientSecret) or user secrets.");
        }

        builder.ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CloudPlatformLimiter>();
        services.TryAddSingleton<TokenCache>();
        services.TryAddSingleton<CloudPlatformClient>();
        services.TryAddSingleton<ListingReader>();
        var http = services.AddRefitGeneratedClient<ICloudPlatformApi>(new RefitSettings { ContentSerializer = new SystemTextJsonContentSerializer(CloudJsonContext.WebOptions) })
            .ConfigureHttpClient((sp, client) =>
            {
                client.BaseAddress = sp.GetRequiredService<IOptions<CloudPlatformOptions>>().Value.BaseUrl;
                client.Timeout = Timeout.InfiniteTimeSpan; // the pipeline's total timeout governs
            });
        http.AddResilienceHandler("cloud-platform", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<CloudPlatformOptions>>().Value;
                var limiter = context.ServiceProvider.GetRequiredService<CloudPlatformLimiter>();
                pipeline
                    .AddTimeout(o.TotalTimeout)
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        // 429 (honouring Retry-After), 5xx (including gateways' HTML 502/503/504), 408, timeouts, transport errors.
                        MaxRetryAttempts = o.MaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = o.RetryDelay,
                        ShouldRetryAfterHeader = true,
                    })
                    .AddRateLimiter(UpstreamMetrics.Timed(limiter.Concurrency, "cloud", "concurrency"))
                    .AddRateLimiter(UpstreamMetrics.Timed(limiter.Rate, "cloud", "rate"))
                    .AddTimeout(o.AttemptTimeout);
            });
        // Inside each attempt: error answers and timeouts are counted by code; the body is read within the attempt's
        // timeout, and an answer past the page budget stops.
        http.AddHttpMessageHandler(() => new UpstreamErrorsHandler("cloud"));
        http.AddHttpMessageHandler(sp => new BufferedBodyHandler(sp.GetRequiredService<IOptions<CloudPlatformOptions>>().Value.MaxPageBytes));
        services.TryAddSingleton<CloudPlatformConnector>();
        services.AddSingleton<IConnector>(sp => sp.GetRequiredService<CloudPlatformConnector>());
        services.AddSingleton<IOrganisationDirectory>(sp => sp.GetRequiredService<CloudPlatformConnector>());
        return services;
    }
}

/// <summary>
/// The process-wide request budget for the platform, shared by every read: at most
/// <see cref="CloudPlatformOptions.MaxConcurrentRequests"/> in flight and
/// <see cref="CloudPlatformOptions.RequestsPerSecond"/> per second (the platform throttles above 20 per client).
/// Requests over the budget wait in line rather than fail.
/// </summary>
public sealed class CloudPlatformLimiter(IOptions<CloudPlatformOptions> options, TimeProvider clock)
    : UpstreamLimiter(options.Value.MaxConcurrentRequests, options.Value.RequestsPerSecond, clock);
