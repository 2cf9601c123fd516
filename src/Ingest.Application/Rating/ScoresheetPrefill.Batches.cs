using System.Globalization;
using Ingest.Application.Ingestion;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Data.Audit;
using Ingest.Data.Scoresheets;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;

namespace Ingest.Application.Rating;

public sealed partial class ScoresheetPrefill
{
    /// <summary>
    /// Pre-fills or re-scores the sheets of many organisations of one cycle, set-based: the region's facts of the cycle's
    /// periods are read once, the organisations' in batches of <see cref="SheetsPerBatch"/>; every sheet of a batch is
    /// scored in memory by the same rules as <see cref="BuildAsync"/> and the batch is saved in one transaction that
    /// writes only the lines that changed. Memory holds one batch, whatever the number of organisations. The codes are
    /// taken as they are: callers pass organisations of the cycle's level.
    /// </summary>
    /// <param name="by">Who asked; <paramref name="why"/> is its audit line, written with each batch.</param>
    public async Task<BulkScoreOutcome> BuildManyAsync(EvaluationCycle cycle, IReadOnlyCollection<string> orgCodes, Actor by, AuditEvent why, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        ArgumentNullException.ThrowIfNull(orgCodes);
        var rubric = RubricLibrary.Default(cycle.Rubric);
        var periods = CyclePeriodsResolver.Resolve(configuration, cycle);
        var periodCodes = periods.All().Select(p => p.Code).ToArray();
        var current = settings.CurrentValue;
        var region = await reader.ReadFactsAsync([Organisation.RegionCode], periodCodes, ct);
        var outcome = BulkScoreOutcome.None;
        foreach (var batch in orgCodes.Where(c => c != Organisation.RegionCode).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Chunk(SheetsPerBatch))
        {
            var facts = new FactSet((await reader.ReadFactsAsync(batch, periodCodes, ct)).Concat(region));
            var sheets = batch.Select(org =>
            {
                var auto = AutoScorer.Prefill(rubric, new ScoringContext(org, periods, current, facts));
                return new SheetAuto(org, SettingsUsed(cycle, periods, auto), auto);
            }).ToArray();
            outcome = outcome.Add(await store.SaveAutoManyAsync(rubric.Id, cycle, periods, sheets, SheetColumns.Scorer(rubric, settings.CurrentValue.StarItemsMet), by, why, ct));
        }

        return outcome;
    }

    /// <summary>Organisations scored together in one transaction by <see cref="BuildManyAsync"/>.</summary>
    public const int SheetsPerBatch = 1000;

    /// <summary>
    /// Pre-fills the scoresheets of a county for a cycle: every active school of it for a school cycle, the county itself
    /// for a county cycle. Returns the list with each column's totals.
    /// </summary>
    public async Task<IReadOnlyList<ScoresheetSummary>> BuildCountyAsync(string countyCode, EvaluationCycle cycle, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        if (cycle.Rubric == RubricKind.County)
        {
            await BuildAsync(countyCode, cycle, by, ct);
        }
        else
        {
            var schools = await organisations.ListSchoolsAsync(countyCode, ct);
            if (schools.Count == 0)
            {
                throw new ScoresheetException($"机构目录中没有县（区）{countyCode} 的学校：请先采集该县（区）的数据");
            }

            await BuildManyAsync(cycle, schools.Where(s => s.Active).Select(s => s.Code).ToArray(), by, new AuditEvent(AuditActions.SheetRescore, countyCode, cycle.ToString()), ct);
        }

        return await reader.ListAsync(cycle, countyCode, ct);
    }

    /// <summary>
    /// Pre-fills the scoresheets of the whole region for a cycle: every active school for a school cycle, every county for
    /// a county cycle, set-based (<see cref="BuildManyAsync"/>).
    /// </summary>
    /// <exception cref="ScoresheetException">The directory holds no organisation to rate yet.</exception>
    public async Task<BulkScoreOutcome> BuildRegionAsync(EvaluationCycle cycle, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        var codes = cycle.Rubric == RubricKind.School
            ? await organisations.ListActiveSchoolCodesAsync(null, ct)
            : await organisations.ListCountyCodesAsync(ct);
        if (codes.Count == 0)
        {
            throw new ScoresheetException("机构目录中还没有可评的机构：请先采集数据");
        }

        return await BuildManyAsync(cycle, codes, by, new AuditEvent(AuditActions.SheetRescore, Organisation.RegionCode, cycle.ToString()), ct);
    }

    /// <summary>
    /// Re-scores every scoresheet that reads one of <paramref name="periods"/>, after a run wrote new facts for them. A
    /// scoresheet that fails is logged and left as it was; the others go on.
    /// </summary>
    public async Task<int> RescoreAfterRunAsync(long runId, IReadOnlyCollection<string> periods, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sheets = await reader.ReadingAnyAsync(periods, ct);
        var done = BulkScoreOutcome.None;
        // Each batch of sheets re-scored writes its line in the trail with its change: the run is what a person asks about.
        var system = new Actor("系统", null, "system", null, Environment.MachineName);
        var why = new AuditEvent(AuditActions.SheetRescore, null, string.Create(CultureInfo.InvariantCulture, $"run {runId}"), null, new { periods });
        foreach (var cycle in sheets.GroupBy(s => s.Cycle, StringComparer.Ordinal))
        {
            try
            {
                done = done.Add(await BuildManyAsync(EvaluationCycle.Parse(cycle.Key), cycle.Select(s => s.OrgCode).ToArray(), system, why, ct));
            }
            catch (Exception e) when (e is ScoresheetException or Npgsql.NpgsqlException or KeyNotFoundException or FormatException)
            {
                logger.LogWarning(e, "The {Count} scoresheets of {Cycle} were not re-scored after run {RunId}", cycle.Count(), cycle.Key, runId);
            }
        }

        Ingest.Application.Operations.IngestTelemetry.Rescored(clock.Elapsed);
        if (sheets.Count > 0)
        {
            logger.LogInformation("Run {RunId}: {Done} of {Count} scoresheets re-scored in {Elapsed} ms, {Written} lines changed, {Unchanged} unchanged",
                runId, done.Sheets, sheets.Count, clock.ElapsedMilliseconds, done.LinesWritten, done.LinesUnchanged);
        }

        return done.Sheets;
    }
}
