using Ingest.Host.People;

namespace Ingest.Host;

public sealed partial class IngestWebHost
{
    /// <summary>
    /// A route without a rule is refused to every caller in production (the fallback policy); in Development and Test,
    /// where routes are added, the service does not start with one, naming each.
    /// </summary>
    private static void RefuseUnruledRoutes(WebApplication app)
    {
        if (ProductionSafety.IsProduction(app.Environment))
        {
            return;
        }

        var unruled = RouteRules.Unruled(((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints));
        if (unruled.Count > 0)
        {
            throw new InvalidOperationException("Every route declares who may use it ([Allow] or .Allow(...), or AllowAnonymous); these declare none or more than one: "
                + string.Join(", ", unruled));
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        // RunAsync stops and disposes the web application itself; what remains is the database.
        await App.RunAsync(cancellationToken);
        stopped = true;
        await database.DisposeAsync();
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => App.StartAsync(cancellationToken);

    /// <summary>Stops the host, then the local cluster if this process started it.</summary>
    public async Task StopAsync()
    {
        if (stopped)
        {
            return;
        }

        stopped = true;
        await App.StopAsync();
        await App.DisposeAsync();
        await database.DisposeAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
