using Ingest.Application.Operations;
using Ingest.Connectors.Http;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Ingest.Host.Operations;

/// <summary>
/// OpenTelemetry for the service: its own meters and the ASP.NET Core, HttpClient and Npgsql instrumentations, exported
/// on a Prometheus scrape endpoint (ops only); traces (a trace per unit) sent over OTLP when
/// <c>Ingest:Telemetry:OtlpEndpoint</c> names a collector.
/// </summary>
public static class TelemetryServiceCollectionExtensions
{
    public static IServiceCollection AddIngestTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = configuration.GetValue<Uri?>("Ingest:Telemetry:OtlpEndpoint");
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("ingest", serviceInstanceId: Environment.MachineName))
            .WithMetrics(m => m
                .AddMeter(IngestTelemetry.Name, UpstreamMetrics.MeterName, "Npgsql")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddPrometheusExporter())
            .WithTracing(t =>
            {
                t.AddSource(IngestTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddNpgsql();
                if (otlp is not null)
                {
                    t.AddOtlpExporter(o => o.Endpoint = otlp);
                }
            });
        return services;
    }
}
