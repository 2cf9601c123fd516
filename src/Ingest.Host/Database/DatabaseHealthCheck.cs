using Ingest.Data.Schema;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Ingest.Host.Database;

/// <summary>Ready when the database answers and carries the schema.</summary>
internal sealed class DatabaseHealthCheck(SchemaProbe schema) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return HealthCheckResult.Healthy($"{await schema.AppliedScriptsAsync(cancellationToken)} migrations applied");
        }
        catch (NpgsqlException e)
        {
            return HealthCheckResult.Unhealthy("The database does not answer: " + e.Message);
        }
    }
}
