using Ingest.Application.Ingestion;
using Ingest.Application.Rating;
using Ingest.Connectors.CloudPlatform;
using Ingest.Connectors.Progress;
using Ingest.Data;
using Ingest.Host.Documents;
using Ingest.Host.People;
using Ingest.Scoring.Programme;
using Ingest.Scoring.Sheets;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ingest.Host;

public static class IngestServiceCollectionExtensions
{
    /// <summary>What both the web host and the CLI need: data access, options, the connector registry and ingestion.</summary>
    public static IServiceCollection AddIngest(this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        services.AddIngestData(Data.ConnectionPools.Bounded(connectionString, configuration.GetValue("Ingest:Database:PoolSize", Data.ConnectionPools.DefaultSize)));
        services.AddOptions<ScheduleOptions>().Bind(configuration.GetSection(ScheduleOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        // Upstream connectors: each registers itself only when its section says Enabled.
        services.AddCloudPlatformConnector(configuration);
        services.AddProgressConnector(configuration);
        services.TryAddSingleton<ConnectorRegistry>();
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<UnitOptions>().Bind(configuration.GetSection(UnitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Ingest.Application.Operations.OperationsOptions>().Bind(configuration.GetSection(Ingest.Application.Operations.OperationsOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<Ingest.Application.Operations.StatusService>();
        services.AddHttpClient(Ingest.Application.Operations.RunAlerts.HttpClientName);
        services.TryAddSingleton<Ingest.Application.Operations.RunAlerts>();
        services.TryAddSingleton<RunFinisher>();
        services.TryAddSingleton<UnitLeases>();
        services.TryAddSingleton<CountyRunner>();
        services.TryAddSingleton<RunPlanner>();
        services.TryAddSingleton<IngestionService>();
        services.AddOptions<ScoringSettings>().Bind(configuration.GetSection(ScoresheetService.Section));
        services.TryAddSingleton<ScoresheetPrefill>();
        services.TryAddSingleton<Ingest.Application.Operations.RetentionService>();
        services.TryAddSingleton<ScoresheetService>();
        services.AddOptions<PdfOptions>().Bind(configuration.GetSection(PdfOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<PdfPrinter>();
        services.AddOptions<ProgrammeSettings>().Bind(configuration.GetSection(ProgrammeReportService.Section));
        services.AddOptions<Ingest.Application.Year.RatingYearOptions>().Bind(configuration.GetSection(Ingest.Application.Year.RatingYearOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ProgrammeReportService>();
        services.TryAddSingleton<Ingest.Application.Year.RosterService>();
        services.TryAddSingleton<Ingest.Application.Year.LevelService>();
        services.AddIngestAccounts(configuration);
        services.TryAddSingleton<Ingest.Application.Claims.ClaimsService>();
        services.AddOptions<Ingest.Application.Claims.ClaimsOptions>().Bind(configuration.GetSection(Ingest.Application.Claims.ClaimsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<Ingest.Application.Claims.ClaimsReportService>();
        services.TryAddSingleton<Ingest.Application.Evidence.EvidenceService>();
        services.AddOptions<Ingest.Application.Oversight.OversightOptions>().Bind(configuration.GetSection(Ingest.Application.Oversight.OversightOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<Ingest.Application.Oversight.OversightService>();
        services.TryAddSingleton<Ingest.Application.Oversight.SpotCheckService>();
        services.TryAddSingleton<Ingest.Application.Oversight.VisitService>();
        services.AddOptions<Ingest.Application.Evidence.EvidenceFileOptions>().Bind(configuration.GetSection(Ingest.Application.Evidence.EvidenceFileOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        // The content of 佐证材料 files: a local (or mounted) directory; docs/adr/0001 says how an S3-compatible store takes its place.
        services.TryAddSingleton<Data.Files.IContentStore>(_ => new Data.Files.LocalContentStore(
            configuration[Ingest.Application.Evidence.EvidenceFileOptions.Section + ":Directory"] is { Length: > 0 } directory ? directory
            : Path.Combine(Data.Embedded.EmbeddedPostgresCluster.FindRepositoryRoot(AppContext.BaseDirectory), ".data", "evidence")));
        services.TryAddSingleton<Ingest.Application.Evidence.EvidenceFileService>();
        services.TryAddSingleton<Ingest.Application.Remediation.RemediationService>();
        services.TryAddSingleton<Ingest.Application.Bulletins.BulletinService>();
        return services;
    }
}
