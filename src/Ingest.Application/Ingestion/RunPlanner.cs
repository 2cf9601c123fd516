using System.Globalization;
using Ingest.Core.Connectors;
using Ingest.Core.Periods;
using Ingest.Data.Audit;
using Ingest.Data.Organisations;
using Ingest.Data.Raw;
using Ingest.Data.Runs;

namespace Ingest.Application.Ingestion;

/// <summary>
/// Plans runs: a cycle's periods, and counties × connectors × periods as units, registered with the run (and, for a run a
/// person started, its audit line) in one transaction.
/// </summary>
public sealed class RunPlanner(
    ConnectorRegistry registry,
    RunStore runs,
    UnitOutcomeStore unitOutcomes,
    OrganisationStore organisations,
    RawArchive archive,
    UnitLeases leases,
    IConfiguration configuration,
    ILogger<RunPlanner> logger)
{
    /// <summary>The periods a cycle reads: docs/domain.md's defaults, overridden by <c>Ingest:CyclePeriods:{cycle}</c>.</summary>
    public CyclePeriods PeriodsOf(EvaluationCycle cycle) => CyclePeriodsResolver.Resolve(configuration, cycle);

    /// <summary>Creates the run (or finds it by its dedupe key) and registers its units.</summary>
    /// <exception cref="IngestionPlanException">Nothing can be read for the request.</exception>
    public Task<PlannedRun> PlanAsync(IngestionRequest request, CancellationToken cancellationToken) => PlanAsync(request, null, cancellationToken);

    /// <summary>
    /// Creates the run (or finds it by its dedupe key) and registers its units; a run a person started (<paramref name="by"/>)
    /// is recorded in the audit trail (run.start) in the transaction that registers its units.
    /// </summary>
    /// <exception cref="IngestionPlanException">Nothing can be read for the request.</exception>
    public async Task<PlannedRun> PlanAsync(IngestionRequest request, Actor? by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Whatever an earlier process left running when it died is settled first, so its runs do not stay open for ever.
        await leases.SweepAsync(cancellationToken);
        var cycles = request.AllCycles;
        // A night of several cycles reads each period once, however many of them need it.
        // A school star year also reads its 上半年, which the county's bulletin counts online lessons over.
        IReadOnlyList<Period> periods = cycles.Count > 0
            ? cycles.SelectMany(c => c.Rubric == RubricKind.School ? [.. PeriodsOf(c).All(), c.FirstHalf] : PeriodsOf(c).All()).DistinctBy(x => x.Code).ToArray()
            : request.Period is { } p ? [p]
            : throw new IngestionPlanException("请指定评定周期（例如 county:2024）或数据期间（例如 2023-2024）");
        var named = NamedCounties(request.Counties);
        var connectors = SelectConnectors(request.Connectors);
        // Refused before a run is recorded: a run that can read nothing would only fail at once.
        if (!connectors.Any(c => periods.Any(p => c.Streams.Any(s => s.Accepts(p)))))
        {
            throw new IngestionPlanException(connectors.Length == 0
                ? "没有可用的数据源：本服务尚未配置宁夏教育云或教育信息化工作进展系统的连接（Connectors:CloudPlatform、Connectors:Progress），请运维人员配置后再采集"
                : $"已配置的数据源（{string.Join("、", connectors.Select(c => Ingest.Scoring.Sheets.RaterText.SourceName(c.Name)))}）都不提供 {string.Join("、", periods.Select(x => x.Code))} 的数据");
        }

        if (named is not null)
        {
            // Checked against the directory when it is known (every night refreshes it); on a first run it is not yet,
            // and a county that does not exist fails its own units with the upstream's answer.
            var known = await organisations.ListCountyCodesAsync(cancellationToken);
            var unknown = known.Count == 0 ? [] : named.Except(known, StringComparer.Ordinal).ToArray();
            if (unknown.Length > 0)
            {
                throw new IngestionPlanException($"机构目录中没有县（区）{string.Join("、", unknown)}：请核对代码（目录中共 {known.Count} 个县（区），例如 {known[0]}）");
            }
        }

        var runId = await runs.CreateRunAsync(
            new RunRequest(request.Trigger, cycles.Count == 0 ? null : string.Join('+', cycles), periods.Select(x => x.Code).ToArray(), named,
                connectors.Select(c => c.Name).ToArray(), Environment.MachineName, request.DedupeKey,
                // A period named by a person (not a cycle's night) re-reads the past: a backfill, which leaves last night's state alone.
                Backfill: cycles.Count == 0 && request.Trigger != "schedule", Runner: request.Runner),
            cancellationToken);

        IReadOnlyList<string> counties;
        try
        {
            counties = named ?? await RegionCountiesAsync(runId, cancellationToken);
        }
        catch (IngestionPlanException e)
        {
            await runs.CompleteRunIfDoneAsync(runId, e.Message, cancellationToken);
            throw;
        }

        var units = (
            from connector in connectors
            from period in periods
            where connector.Streams.Any(s => s.Accepts(period))
            from county in counties
            select new UnitKey(runId, connector.Name, county, period.Code)).ToArray();
        try
        {
            await runs.AddUnitsAsync(units, by is null ? null : (by, new AuditEvent(AuditActions.RunStart, null, runId.ToString(CultureInfo.InvariantCulture), null, new
            {
                cycle = cycles.Count == 0 ? null : string.Join('+', cycles),
                period = request.Period?.Code,
                counties,
                request.Connectors,
                units = units.Length,
            })), cancellationToken);
        }
        catch (Npgsql.NpgsqlException e)
        {
            // Neither the units nor the line were kept: the run ends here, saying why, rather than stay open with nothing to do.
            await runs.CompleteRunIfDoneAsync(runId, "未能登记采集单元：" + e.Message, CancellationToken.None);
            throw;
        }
        if (units.Length == 0)
        {
            await runs.CompleteRunIfDoneAsync(runId, "没有可采集的内容：已配置的数据源都不提供这些期间的数据", cancellationToken);
        }

        logger.LogInformation("Run {RunId}: {Units} units over {Counties} counties and periods {Periods}",
            runId, units.Length, counties.Count, string.Join(", ", periods));
        return new PlannedRun(runId, units, periods.Select(x => x.Code).ToArray(), counties);
    }

    private IConnector[] SelectConnectors(IReadOnlyList<string>? names)
    {
        if (names is { Count: > 0 })
        {
            try
            {
                return names.Select(registry.Get).ToArray();
            }
            catch (ArgumentException e)
            {
                throw new IngestionPlanException(e.Message);
            }
        }

        return registry.All.OrderBy(c => c.Name, StringComparer.Ordinal).ToArray();
    }

    private static string[]? NamedCounties(IReadOnlyList<string>? named)
    {
        if (named is not { Count: > 0 })
        {
            return null;
        }

        var bad = named.Where(c => c.Length != 6 || !c.All(char.IsAsciiDigit)).ToArray();
        if (bad.Length > 0)
        {
            throw new IngestionPlanException($"“{string.Join("、", bad)}”不是县（区）代码：县（区）代码为 6 位行政区划代码，例如 640424");
        }

        return named.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Every county of the region: the directory refreshed from its connector (archived under the run), then read back.</summary>
    private async Task<IReadOnlyList<string>> RegionCountiesAsync(long runId, CancellationToken ct)
    {
        if (registry.Directory is { } directory)
        {
            try
            {
                var context = new IngestionContext(runId, "directory", archive, unitOutcomes, null);
                await organisations.UpsertAsync(await directory.ReadCountiesAsync(context, ct), ct);
            }
            catch (Exception e) when (e is ConnectorException or HttpRequestException or TimeoutException)
            {
                // A stale directory is better than no run: carry on with the counties already known.
                logger.LogWarning(e, "Could not refresh the county directory; using the counties already known");
            }
        }

        var known = await organisations.ListCountyCodesAsync(ct);
        return known.Count > 0 ? known
            : throw new IngestionPlanException(
                "机构目录中还没有县（区）：请指定要采集的县（区）（例如 --county 640424），或配置提供机构目录的数据源");
    }
}
