using Ingest.Connectors.CloudPlatform.Api;
using Ingest.Connectors.CloudPlatform.Client;
using Ingest.Connectors.Http;
using Ingest.Core.Connectors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Refit;

namespace Ingest.Connectors.CloudPlatform;

public static class CloudPlatformServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Education Cloud connector when <c>Connectors:CloudPlatform:Enabled</c> is true: options
    /// validated at start-up, the Refit client behind the shared resilience pipeline (<see cref="UpstreamRegistration"/>), and the connector as both
    /// <see cref="IConnector"/> and the region's <see cref="IOrganisationDirectory"/>.
    /// </summary>
    public static IServiceCollection AddCloudPlatformConnector(this IServiceCollection services, IConfiguration configuration)
    {
        if (!UpstreamRegistration.IsEnabled(configuration, CloudPlatformOptions.Section))
        {
            return services;
        }

        services.AddUpstreamClient<ICloudPlatformApi, CloudPlatformOptions, CloudPlatformLimiter>(configuration,
            new Upstream("cloud", "cloud-platform", CloudPlatformOptions.Section, nameof(CloudPlatformOptions.ClientSecret),
                new RefitSettings { ContentSerializer = new SystemTextJsonContentSerializer(CloudJsonContext.WebOptions) }));
        services.TryAddSingleton<TokenCache>();
        services.TryAddSingleton<CloudPlatformClient>();
        services.TryAddSingleton<ListingReader>();
        services.TryAddSingleton<CloudPlatformConnector>();
        services.AddSingleton<IConnector>(sp => sp.GetRequiredService<CloudPlatformConnector>());
        services.AddSingleton<IOrganisationDirectory>(sp => sp.GetRequiredService<CloudPlatformConnector>());
        return services;
    }
}

/// <summary>
/// The process-wide request budget for the platform, shared by every read: at most
/// <see cref="UpstreamOptions.MaxConcurrentRequests"/> in flight and
/// <see cref="UpstreamOptions.RequestsPerSecond"/> per second (the platform throttles above 20 per client).
/// Requests over the budget wait in line rather than fail.
/// </summary>
public sealed class CloudPlatformLimiter(IOptions<CloudPlatformOptions> options, TimeProvider clock)
    : UpstreamLimiter(options.Value.MaxConcurrentRequests, options.Value.RequestsPerSecond, clock);
