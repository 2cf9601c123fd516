using Ingest.Host.Database;
using Microsoft.Extensions.Options;

namespace Ingest.Host.Cli;

/// <summary>The services of the CLI verbs: the same registrations as the web host, without HTTP or Hangfire server.</summary>
internal sealed class CliHost : IAsyncDisposable
{
    private readonly IHost host;
    private readonly DatabaseHandle database;

    private CliHost(IHost host, DatabaseHandle database)
    {
        this.host = host;
        this.database = database;
    }

    public IServiceProvider Services => host.Services;

    /// <summary>The database and its roles: <see cref="DatabaseHandle.MigrateAsync"/> migrates as the owner.</summary>
    public DatabaseHandle Database => database;

    public static async Task<CliHost> StartAsync(bool migrate, CancellationToken cancellationToken)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            // As the service reads it, so that one setting serves both.
            EnvironmentName = ProductionSafety.EnvironmentName,
        });
        // The console belongs to the verb's output; logs below warnings would only clutter it.
        builder.Configuration.AddInMemoryCollection([new("Logging:LogLevel:Default", "Warning"), new("Logging:LogLevel:Ingest", "Warning"),
            // Retries of throttled or failed calls are routine; a unit that still fails says why in the result table.
            new("Logging:LogLevel:Polly", "None")]);
        ProductionSafety.Check(builder.Configuration, builder.Environment);
        var database = await DatabaseBootstrap.OpenAsync(builder.Configuration, LogLevel.Warning, cancellationToken);
        try
        {
            builder.Services.AddIngest(builder.Configuration, database.ConnectionString);
            var host = builder.Build();
            ValidateOptions(host.Services);
            if (migrate)
            {
                await database.MigrateAsync(host.Services.GetRequiredService<ILoggerFactory>(), cancellationToken);
            }

            return new CliHost(host, database);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// What the web host does when it starts (ValidateOnStart): a verb never starts its host, so a bad setting
    /// would otherwise surface only when a unit first reads it.
    /// </summary>
    private static void ValidateOptions(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is OptionsValidationException))
        {
            var failures = e.InnerExceptions.Cast<OptionsValidationException>().ToArray();
            throw new OptionsValidationException(failures[0].OptionsName, failures[0].OptionsType, failures.SelectMany(x => x.Failures));
        }
    }

    public async ValueTask DisposeAsync()
    {
        host.Dispose();
        await database.DisposeAsync();
    }
}
