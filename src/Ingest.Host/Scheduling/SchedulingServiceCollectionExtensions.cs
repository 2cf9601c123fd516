using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;

namespace Ingest.Host.Scheduling;

public static class SchedulingServiceCollectionExtensions
{
    /// <summary>Hangfire on the service's PostgreSQL (its own schema), the server, and the nightly schedule.</summary>
    public static IServiceCollection AddIngestScheduling(this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        var hangfire = configuration.GetSection(HangfireOptions.Section).Get<HangfireOptions>() ?? new HangfireOptions();
        services.AddOptions<HangfireOptions>().Bind(configuration.GetSection(HangfireOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHangfire((sp, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                o => o.UseNpgsqlConnection(connectionString),
                new PostgreSqlStorageOptions { SchemaName = hangfire.Schema, PrepareSchemaIfNecessary = true }));
        if (hangfire.Server)
        {
            services.AddHangfireServer(o => o.WorkerCount = hangfire.WorkerCount);
        }

        services.AddHostedService<NightlyScheduleRegistration>();
        return services;
    }
}

/// <summary>
/// Registers (or updates) the recurring nightly job at start-up. The job id is fixed, so every host that starts
/// writes the same single entry: two hosts, or two starts, never schedule the night twice.
/// </summary>
internal sealed class NightlyScheduleRegistration(IRecurringJobManager recurring, IOptions<Ingestion.ScheduleOptions> options,
    ILogger<NightlyScheduleRegistration> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var schedule = options.Value;
        Ingestion.ScheduleOptions.TryFindTimeZone(schedule.TimeZone, out var zone);
        recurring.AddOrUpdate<NightlyIngestionJob>(
            NightlyIngestionJob.RecurringJobId,
            j => j.RunAsync(CancellationToken.None),
            schedule.NightlyCron,
            new RecurringJobOptions { TimeZone = zone });
        logger.LogInformation("Nightly ingestion scheduled: '{Cron}' in {TimeZone} for {Cycles}", schedule.NightlyCron, zone.Id,
            string.Join(", ", schedule.Cycles));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
