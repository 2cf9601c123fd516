using Ingest.Application.Ingestion;
using Ingest.Data.Audit;
using Ingest.Data.Raw;
using Microsoft.Extensions.Options;

namespace Ingest.Application.Operations;

/// <summary>
/// Archived upstream answers older than <c>Ingest:Retention:RawPageDays</c> are deleted in small batches, each its own
/// short transaction; the fact history stays. What went is recorded in the audit trail. Row spools a dead process left
/// behind (opened over a day ago: no county's read lasts that long) go too.
/// </summary>
public sealed class RetentionService(RawArchive archive, RowSpoolStore spools, AuditStore audit, IOptionsMonitor<RetentionOptions> options, TimeProvider clock,
    ILogger<RetentionService> logger)
{
    /// <summary>Prunes what is past its retention; answers the archived pages deleted.</summary>
    public async Task<long> PruneAsync(CancellationToken ct)
    {
        var settings = options.CurrentValue;
        var before = clock.GetUtcNow().AddDays(-settings.RawPageDays);
        var pruned = await archive.PruneAsync(before, settings.BatchSize, ct);
        var spooled = await spools.PruneAsync(clock.GetUtcNow().AddDays(-1), ct);
        if (spooled > 0)
        {
            logger.LogWarning("Row spools: {Rows} rows of reads opened over a day ago dropped (their process stopped)", spooled);
        }

        logger.LogInformation("Raw archive: {Pruned} pages read before {Before:u} pruned", pruned, before);
        if (pruned > 0)
        {
            await audit.AppendAsync(new Actor("系统", null, "system", null, Environment.MachineName),
                new AuditEvent(AuditActions.RetentionPrune, null, "raw_page", null, new { pruned, before, days = settings.RawPageDays }), ct);
        }

        return pruned;
    }
}
