using Ingest.Data.Facts;
using Ingest.Data.Organisations;
using Ingest.Data.Raw;
using Ingest.Data.Runs;
using Ingest.Data.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Ingest.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>Registers the data source for <paramref name="connectionString"/> and the stores built on it.</summary>
    public static IServiceCollection AddIngestData(this IServiceCollection services, string connectionString)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString) { Name = "ingest" }.Build());
        services.TryAddSingleton<DatabaseMigrator>();
        services.TryAddSingleton<RunStore>();
        services.TryAddSingleton<RunReader>();
        services.TryAddSingleton<UnitLeaseStore>();
        services.TryAddSingleton<UnitOutcomeStore>();
        services.TryAddSingleton<FactReader>();
        services.TryAddSingleton<RegionAggregator>();
        services.TryAddSingleton<RawArchive>();
        services.TryAddSingleton<RowSpoolStore>();
        services.TryAddSingleton<OrganisationStore>();
        services.TryAddSingleton<OrganisationContactStore>();
        services.TryAddSingleton<RosterStore>();
        services.TryAddSingleton<LevelStore>();
        services.TryAddSingleton<Oversight.SpotCheckStore>();
        services.TryAddSingleton<Oversight.CountyDecisionStore>();
        services.TryAddSingleton<Oversight.VisitStore>();
        services.TryAddSingleton<Scoresheets.ScoresheetStore>();
        services.TryAddSingleton<Scoresheets.ScoresheetReader>();
        services.TryAddSingleton<Scoresheets.PrintedFormStore>();
        services.TryAddSingleton<Audit.AuditStore>();
        services.TryAddSingleton<People.AccountStore>();
        services.TryAddSingleton<People.TokenStore>();
        services.TryAddSingleton<People.KeyRingStore>();
        services.TryAddSingleton<Schema.SchemaProbe>();
        services.TryAddSingleton<Claims.ClaimStore>();
        services.TryAddSingleton<Files.EvidenceFileStore>();
        services.TryAddSingleton<Remediation.RemediationStore>();
        services.TryAddSingleton<Bulletins.BulletinStore>();
        return services;
    }
}
