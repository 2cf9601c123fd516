using Ingest.Data.Schema;
using Ingest.Host.Database;

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

    public static async Task<CliHost> StartAsync(bool migrate, CancellationToken cancellationToken)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        // The console belongs to the verb's output; logs below warnings would only clutter it.
        builder.Configuration.AddInMemoryCollection([new("Logging:LogLevel:Default", "Warning"), new("Logging:LogLevel:Ingest", "Warning"),
            // Retries of throttled or failed calls are routine; a unit that still fails says why in the result table.
            new("Logging:LogLevel:Polly", "Error")]);
        var database = await DatabaseBootstrap.OpenAsync(builder.Configuration, LogLevel.Warning, cancellationToken);
        try
        {
            builder.Services.AddIngest(builder.Configuration, database.ConnectionString);
            var host = builder.Build();
            if (migrate)
            {
                await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            }

            return new CliHost(host, database);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        host.Dispose();
        await database.DisposeAsync();
    }
}
