using Ingest.Connectors.Http;
using Ingest.Connectors.Progress.Api;
using Ingest.Connectors.Progress.Client;
using Ingest.Core.Connectors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Refit;

namespace Ingest.Connectors.Progress;

public static class ProgressServiceCollectionExtensions
{
    /// <summary>
    /// Registers the progress-system connector when <c>Connectors:Progress:Enabled</c> is true: options validated at
    /// start-up, the Refit client with its API key behind the shared resilience pipeline (<see cref="UpstreamRegistration"/>), and the connector.
    /// </summary>
    public static IServiceCollection AddProgressConnector(this IServiceCollection services, IConfiguration configuration)
    {
        if (!UpstreamRegistration.IsEnabled(configuration, ProgressOptions.Section))
        {
            return services;
        }

        services.TryAddTransient<ApiKeyHandler>();
        services.AddUpstreamClient<IProgressApi, ProgressOptions, ProgressLimiter>(configuration,
            new Upstream("progress", "progress-system", ProgressOptions.Section, nameof(ProgressOptions.ApiKey), new RefitSettings()),
            outer: http => http.AddHttpMessageHandler<ApiKeyHandler>());
        services.TryAddSingleton<ProgressClient>();
        services.TryAddSingleton<SessionReader>();
        services.TryAddSingleton<ProgressConnector>();
        services.AddSingleton<IConnector>(sp => sp.GetRequiredService<ProgressConnector>());
        return services;
    }
}

/// <summary>
/// The process-wide request budget for the progress system: at most <see cref="UpstreamOptions.MaxConcurrentRequests"/>
/// in flight and <see cref="UpstreamOptions.RequestsPerSecond"/> per second (the system throttles above 5 per key).
/// </summary>
public sealed class ProgressLimiter(IOptions<ProgressOptions> options, TimeProvider clock)
    : UpstreamLimiter(options.Value.MaxConcurrentRequests, options.Value.RequestsPerSecond, clock);
