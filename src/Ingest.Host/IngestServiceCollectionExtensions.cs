using Ingest.Connectors.CloudPlatform;
using Ingest.Connectors.Progress;
using Ingest.Data;
using Ingest.Host.Ingestion;
using Ingest.Host.People;
using Ingest.Host.Scoring;
using Ingest.Host.Scoring.Forms;
using Ingest.Scoring.Programme;
using Ingest.Scoring.Sheets;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ingest.Host;

public static class IngestServiceCollectionExtensions
{
    /// <summary>What both the web host and the CLI need: data access, options, the connector registry and ingestion.</summary>
    public static IServiceCollection AddIngest(this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        services.AddIngestData(connectionString);
        services.AddOptions<ScheduleOptions>().Bind(configuration.GetSection(ScheduleOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        // Upstream connectors: each registers itself only when its section says Enabled.
        services.AddCloudPlatformConnector(configuration);
        services.AddProgressConnector(configuration);
        services.TryAddSingleton<ConnectorRegistry>();
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<UnitOptions>().Bind(configuration.GetSection(UnitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Operations.OperationsOptions>().Bind(configuration.GetSection(Operations.OperationsOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<Operations.StatusService>();
        services.AddHttpClient(Operations.RunAlerts.HttpClientName);
        services.TryAddSingleton<Operations.RunAlerts>();
        services.TryAddSingleton<IngestionService>();
        services.AddOptions<ScoringSettings>().Bind(configuration.GetSection(ScoresheetService.Section));
        services.TryAddSingleton<ScoresheetService>();
        services.AddOptions<PdfOptions>().Bind(configuration.GetSection(PdfOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<PdfPrinter>();
        services.AddOptions<ProgrammeSettings>().Bind(configuration.GetSection(ProgrammeReportService.Section));
        services.TryAddSingleton<ProgrammeReportService>();
        services.AddIngestAccounts(configuration);
        services.TryAddSingleton<Audit.ClaimsService>();
        services.AddOptions<Audit.ClaimsOptions>().Bind(configuration.GetSection(Audit.ClaimsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<Audit.ClaimsReportService>();
        services.TryAddSingleton<Audit.EvidenceService>();
        return services;
    }
}
