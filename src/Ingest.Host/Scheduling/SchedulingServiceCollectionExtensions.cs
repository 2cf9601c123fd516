using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.Options;

namespace Ingest.Host.Scheduling;

public static class SchedulingServiceCollectionExtensions
{
    /// <summary>Hangfire on the service's PostgreSQL (its own schema), the server, and the nightly schedule.</summary>
    public static IServiceCollection AddIngestScheduling(this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        var hangfire = configuration.GetSection(HangfireOptions.Section).Get<HangfireOptions>() ?? new HangfireOptions();
        services.AddOptions<HangfireOptions>().Bind(configuration.GetSection(HangfireOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var storageOptions = new PostgreSqlStorageOptions
        {
            SchemaName = hangfire.Schema,
            PrepareSchemaIfNecessary = true,
            // No LISTEN/NOTIFY long polling: in Hangfire.PostgreSql 1.21.1 it opens a listener connection on every
            // fetch, and by its code a listener cancelled with OperationCanceledException makes Dequeue throw after
            // the job was marked fetched, hiding it until the invisibility timeout (upstream issue #410 is of this
            // family). A poll every couple of seconds costs one small query per idle worker.
            EnableLongPolling = false,
            QueuePollInterval = TimeSpan.FromSeconds(hangfire.QueuePollSeconds),
            // A county can take longer than the fixed invisibility timeout; without this another worker
            // would pick the same job up while the first still runs it.
            UseSlidingInvisibilityTimeout = true,
        };

        // Storage and activator are this container's own singletons. Hangfire's defaults read the static
        // JobStorage.Current / JobActivator.Current, which the last host built in a process overwrites.
        // Its own pool, bounded: a connection for each worker and for the server's own loops (heartbeat, schedulers, expiry).
        var bounded = Ingest.Data.ConnectionPools.Bounded(connectionString, hangfire.WorkerCount + 8);
        services.AddSingleton<JobStorage>(_ => new PostgreSqlStorage(new NpgsqlConnectionFactory(bounded, storageOptions, null), storageOptions));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, config) => config
            .UseLogProvider(HangfireLogBridge.Instance.Attach(sp.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        if (hangfire.Server)
        {
            // Scheduled jobs (a county waiting for its directory) are looked for every 3 s, not the default 15.
            services.AddHangfireServer(o => (o.WorkerCount, o.SchedulePollingInterval) = (hangfire.WorkerCount, TimeSpan.FromSeconds(3)));
        }

        services.AddTransient<NightlyIngestionJob>();
        services.AddTransient<UnitJob>();
        services.AddTransient<UnitSweepJob>();
        services.AddTransient<RawArchiveRetentionJob>();
        services.AddHostedService<NightlyScheduleRegistration>();
        return services;
    }
}

/// <summary>
/// Registers (or updates) the recurring nightly job at start-up. The job id is fixed, so every host that starts
/// writes the same single entry: two hosts, or two starts, never schedule the night twice.
/// </summary>
internal sealed class NightlyScheduleRegistration(IRecurringJobManager recurring, IOptions<Ingest.Application.Ingestion.ScheduleOptions> options,
    ILogger<NightlyScheduleRegistration> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var schedule = options.Value;
        var zone = schedule.Zone;
        try
        {
            recurring.AddOrUpdate<NightlyIngestionJob>(
                NightlyIngestionJob.RecurringJobId,
                j => j.RunAsync(CancellationToken.None),
                schedule.NightlyCron,
                new RecurringJobOptions { TimeZone = zone });
            recurring.AddOrUpdate<UnitSweepJob>(UnitSweepJob.RecurringJobId, j => j.RunAsync(CancellationToken.None), Cron.Minutely());
            recurring.AddOrUpdate<RawArchiveRetentionJob>(RawArchiveRetentionJob.RecurringJobId, j => j.RunAsync(CancellationToken.None), Cron.Daily(4),
                new RecurringJobOptions { TimeZone = zone });
        }
        catch (ArgumentException e)
        {
            throw new OptionsValidationException(Ingest.Application.Ingestion.ScheduleOptions.Section, typeof(Ingest.Application.Ingestion.ScheduleOptions),
                [$"Ingest:Schedule:NightlyCron 的“{schedule.NightlyCron}”不是 cron 表达式：{e.Message}"]);
        }

        logger.LogInformation("Nightly ingestion scheduled: '{Cron}' in {TimeZone} for {Cycles}", schedule.NightlyCron, zone.Id,
            string.Join(", ", schedule.Cycles));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
