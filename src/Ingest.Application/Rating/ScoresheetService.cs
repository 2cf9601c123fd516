using System.Globalization;
using Ingest.Application.Ingestion;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Data.Audit;
using Ingest.Data.Organisations;
using Ingest.Data.Scoresheets;
using Ingest.Documents.Forms;
using Ingest.Scoring.Programme;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;
using Microsoft.Extensions.Options;

namespace Ingest.Application.Rating;

/// <summary>
/// Builds, re-scores and fills scoresheets: the cycle's periods and the scoring settings from configuration, the
/// facts from the store, the rules from the rubric. Used by the API, the CLI and, after each run, by ingestion.
/// </summary>
public sealed class ScoresheetService(
    ScoresheetStore store,
    OrganisationStore organisations,
    OrganisationContactStore contacts,
    IConfiguration configuration,
    IOptionsMonitor<ScoringSettings> settings,
    ILogger<ScoresheetService> logger)
{
    /// <summary>The configuration section of <see cref="ScoringSettings"/>.</summary>
    public const string Section = "Scoring";

    /// <summary>
    /// Pre-fills (or re-scores) the scoresheet of a school for a school cycle or of a county for a county cycle, keeping
    /// every entry.
    /// </summary>
    /// <param name="by">Who opens or re-scores it, recorded in the audit trail with the change.</param>
    /// <exception cref="ScoresheetException">The organisation is unknown or of the wrong level for the cycle.</exception>
    public async Task<Scoresheet> BuildAsync(string orgCode, EvaluationCycle cycle, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        ArgumentNullException.ThrowIfNull(by);
        var org = await store.FindOrganisationAsync(orgCode, ct)
            ?? throw new ScoresheetException($"机构目录中没有 {orgCode}：请先采集其所在县（区）的数据");
        var wanted = cycle.Rubric == RubricKind.School ? OrgLevel.School : OrgLevel.County;
        if (org.Level != wanted)
        {
            throw new ScoresheetException(string.Create(CultureInfo.InvariantCulture,
                $"{orgCode}（{org.Name}）是{LevelWord(org.Level)}，{cycle} 的评分表评的是{LevelWord(wanted)}"));
        }

        var rubric = RubricLibrary.Default(cycle.Rubric);
        var periods = CyclePeriodsResolver.Resolve(configuration, cycle);
        var current = settings.CurrentValue;
        var facts = await store.ReadFactsAsync([orgCode, Organisation.RegionCode], periods.All().Select(p => p.Code).ToArray(), ct);
        var auto = AutoScorer.Prefill(rubric, new ScoringContext(orgCode, periods, current, new FactSet(facts)));
        return await store.SaveAutoAsync(orgCode, rubric, cycle, periods, SettingsUsed(cycle, periods, auto), auto, by, ct);
    }

    /// <summary>What a sheet names as the settings its scores rest on: the cycle's periods, then each rule's own.</summary>
    private static string[] SettingsUsed(EvaluationCycle cycle, CyclePeriods periods, IReadOnlyDictionary<string, AutoOutcome> auto) =>
    [
        $"Ingest:CyclePeriods:{cycle}：自然年 {periods.CalendarYear}，学年 {periods.SchoolYear}，基础设施导出 {periods.InfrastructureExport}",
        .. auto.Values.SelectMany(a => a.Settings).Distinct(StringComparer.Ordinal),
    ];

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
        var region = await store.ReadFactsAsync([Organisation.RegionCode], periodCodes, ct);
        var outcome = BulkScoreOutcome.None;
        foreach (var batch in orgCodes.Where(c => c != Organisation.RegionCode).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Chunk(SheetsPerBatch))
        {
            var facts = new FactSet((await store.ReadFactsAsync(batch, periodCodes, ct)).Concat(region));
            var sheets = batch.Select(org =>
            {
                var auto = AutoScorer.Prefill(rubric, new ScoringContext(org, periods, current, facts));
                return new SheetAuto(org, SettingsUsed(cycle, periods, auto), auto);
            }).ToArray();
            outcome = outcome.Add(await store.SaveAutoManyAsync(rubric, cycle, periods, sheets, by, why, ct));
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

        return await store.ListAsync(cycle, countyCode, ct);
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

    /// <summary>The scoresheet of an organisation in a cycle, pre-filled first (by <paramref name="by"/>, audited) if it has none yet.</summary>
    public Task<Scoresheet> GetOrBuildAsync(string orgCode, EvaluationCycle cycle, Actor by, CancellationToken ct) => GetAsync(orgCode, cycle, by, ct);

    /// <summary>
    /// The scoresheet of an organisation in a cycle. A caller that may write it (<paramref name="opener"/>) pre-fills a
    /// sheet that does not exist yet, and the trail records that it did (sheet.open); without one (a caller that may only
    /// read) it is not created: reading never writes.
    /// </summary>
    /// <exception cref="ScoresheetNotFoundException">No sheet yet, and no <paramref name="opener"/>.</exception>
    public async Task<Scoresheet> GetAsync(string orgCode, EvaluationCycle cycle, Actor? opener, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        var id = await store.FindAsync(orgCode, RubricLibrary.Default(cycle.Rubric).Id, cycle, ct);
        return id is { } existing ? (await store.LoadAsync(existing, ct))!
            : opener is not null ? await BuildAsync(orgCode, cycle, opener, ct)
            : throw new ScoresheetNotFoundException($"{orgCode} 的 {cycle.Year} 年度评分表尚未预填：由有评分权限的人员打开或预填后才能查看");
    }

    /// <summary>
    /// The scoresheet as it stood at <paramref name="at"/>: its auto lines scored again from the facts as they were then
    /// (the fact history), with the entries made by then. Nothing is written; a sheet that does not exist is not built.
    /// </summary>
    /// <exception cref="ScoresheetNotFoundException">The organisation has no sheet in the cycle.</exception>
    public async Task<Scoresheet> AsOfAsync(string orgCode, EvaluationCycle cycle, DateTimeOffset at, CancellationToken ct)
    {
        var sheet = await GetAsync(orgCode, cycle, opener: null, ct);
        var facts = await store.ReadFactsAsync([orgCode, Organisation.RegionCode], sheet.Periods.All().Select(p => p.Code).ToArray(), at, ct);
        var auto = AutoScorer.Prefill(sheet.Rubric, new ScoringContext(orgCode, sheet.Periods, settings.CurrentValue, new FactSet(facts)));
        var entries = sheet.Entries.Where(e => e.Entry.At <= at).ToArray();
        return sheet with { Auto = auto, Entries = entries, Columns = ScoresheetStore.Score(sheet.Rubric, auto, entries), ScoredAt = at };
    }

    /// <summary>The scoresheets of a county in a cycle (its schools', or its own), in code order, and the county's name.</summary>
    public async Task<(string CountyName, IReadOnlyList<Scoresheet> Sheets)> LoadCountyAsync(string countyCode, EvaluationCycle cycle, CancellationToken ct)
    {
        var county = await store.FindOrganisationAsync(countyCode, ct)
            ?? throw new ScoresheetException($"机构目录中没有 {countyCode}：请先采集该县（区）的数据");
        var sheets = new List<Scoresheet>();
        foreach (var summary in await store.ListAsync(cycle, countyCode, ct))
        {
            sheets.Add((await store.LoadAsync(summary.Id, ct))!);
        }

        return (county.Name, sheets);
    }

    /// <summary>
    /// Records an entry in a column of the organisation's scoresheet for the cycle: a value, or a withdrawal
    /// (<see cref="EntryValue.Withdrawal"/>). Giving the value the line already holds records nothing.
    /// </summary>
    /// <exception cref="ScoresheetException">The entry cannot be taken; the message says why.</exception>
    public Task<EntryOutcome> EnterAsync(string orgCode, EvaluationCycle cycle, string target, Column column, EntryValue value, Actor by, CancellationToken ct) =>
        ApplyAsync(orgCode, cycle, column, [(target, value)], by, null, ct);

    /// <summary>Records several entries in one column, all or none (a filled workbook).</summary>
    /// <exception cref="ScoresheetException">An entry cannot be taken; nothing is recorded.</exception>
    public async Task<EntryOutcome> ApplyAsync(string orgCode, EvaluationCycle cycle, Column column, IReadOnlyList<(string Target, EntryValue Value)> changes,
        Actor by, ImportSource? import, CancellationToken ct)
    {
        var sheet = await GetOrBuildAsync(orgCode, cycle, by, ct);
        return await store.ApplyAsync(sheet.Id, column, changes, by, import, ct);
    }

    /// <summary>
    /// Imports a filled 填报表 (<see cref="FillForm"/>): checks every row, then records what changed in the column it
    /// fills, all or none, as one import in the entry log. <paramref name="expected"/>: the sheet the caller means; a file
    /// of another organisation or cycle is refused.
    /// </summary>
    /// <param name="column">The column the importer writes; a file of another column is refused. Null: any (the CLI).</param>
    /// <exception cref="FormImportException">The file cannot be imported; every bad row and column is named.</exception>
    /// <exception cref="ColumnRefusedException">The file fills a column the importer does not write.</exception>
    public async Task<EntryOutcome> ImportAsync(Stream workbook, string fileName, Actor by, (string OrgCode, EvaluationCycle Cycle)? expected, Column? column,
        CancellationToken ct)
    {
        fileName = Ingest.Core.Text.FileNames.OfUpload(fileName, "填报表.xlsx");
        var form = await FillForm.ReadAsync(workbook, fileName, async (org, cycle) =>
        {
            if (expected is { } e && (e.OrgCode != org || e.Cycle != cycle))
            {
                throw new FormImportException(fileName, [$"这是 {org} {cycle.Year}年度的填报表，不是 {e.OrgCode} {e.Cycle.Year}年度的"]);
            }

            try
            {
                return await GetOrBuildAsync(org, cycle, by, ct);
            }
            catch (ScoresheetException x) when (x is not FormImportException)
            {
                throw new FormImportException(fileName, [x.Message]);
            }
        });
        if (column is { } only && form.Column != only)
        {
            throw new ColumnRefusedException($"{fileName} 是{RaterText.ColumnTitle(form.Column)}栏的填报表；本账号只能导入{RaterText.ColumnTitle(only)}栏");
        }

        return await ApplyAsync(form.OrgCode, form.Cycle, form.Column, form.Changes, by, new ImportSource(fileName), ct);
    }

    /// <summary>
    /// The 星级认定表 of a school in a school cycle: the sheet's three columns, its 已获星级 (the level it holds from the
    /// cycle before, 未定级 without one) and its contact.
    /// </summary>
    /// <param name="opener">Who may pre-fill the sheet if it has none yet (audited); null: a reader, for whom nothing is created.</param>
    public async Task<SchoolFormModel> SchoolFormAsync(string orgCode, EvaluationCycle cycle, Actor? opener, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        if (cycle.Rubric != RubricKind.School)
        {
            throw new ScoresheetException("星级认定表是学校的表；县（区）评分表请导出为 csv 或 json");
        }

        var sheet = await GetAsync(orgCode, cycle, opener, ct);
        var previousId = await store.FindAsync(orgCode, sheet.Rubric.Id, cycle with { Year = cycle.Year - 1 }, ct);
        SchoolRating? previous = null;
        if (previousId is { } id && await store.LoadAsync(id, ct) is { } last)
        {
            var bureau = last.Column(Column.Bureau);
            var department = last.Column(Column.Department);
            previous = new SchoolRating(last.OrgCode, last.OrgName, last.CountyCode ?? string.Empty, last.Cycle.Year, last.AppliedStars,
                bureau.Stars?.Stars, bureau.Pending + bureau.NotComputable == 0, department.Stars?.Stars, department.Pending + department.NotComputable == 0);
        }

        var contact = await contacts.FindAsync(orgCode, ct);
        return SchoolFormModel.From(sheet, previous, contact?.Person, contact?.Phone);
    }

    /// <summary>Sets 联系人 and 联系方式 of a school or county, as its forms print them.</summary>
    /// <exception cref="ScoresheetException">The organisation is not in the directory, or no name is given.</exception>
    public async Task<OrganisationContact> SetContactAsync(string orgCode, string? person, string? phone, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (string.IsNullOrWhiteSpace(by.Name))
        {
            throw new ScoresheetException("修改联系人须署名：缺少修改人姓名");
        }

        var org = await store.FindOrganisationAsync(orgCode, ct) ?? throw new ScoresheetException($"机构目录中没有 {orgCode}：请先采集其所在县（区）的数据");
        if (org.Level is not (OrgLevel.School or OrgLevel.County))
        {
            throw new ScoresheetException($"{orgCode}（{org.Name}）不是学校或县（区），没有认定表");
        }

        return await contacts.SetAsync(orgCode, person, phone, by, ct);
    }

    /// <summary>Records the level a school applies for (申报星级).</summary>
    public async Task<Scoresheet> SetAppliedStarsAsync(string orgCode, EvaluationCycle cycle, int? stars, Actor by, CancellationToken ct)
    {
        if (stars is { } level && !AppliedStars.Accepts(level))
        {
            throw new ScoresheetException($"申报星级应为 {AppliedStars.Lowest}～{AppliedStars.Highest} 星，不能是 {level}");
        }

        var sheet = await GetOrBuildAsync(orgCode, cycle, by, ct);
        await store.SetAppliedStarsAsync(sheet.Id, stars, by, ct);
        return (await store.LoadAsync(sheet.Id, ct))!;
    }

    private static string LevelWord(OrgLevel level) => level switch
    {
        OrgLevel.School => "学校",
        OrgLevel.County => "县（区）",
        OrgLevel.City => "地级市",
        _ => "自治区",
    };

    /// <summary>
    /// Re-scores every scoresheet that reads one of <paramref name="periods"/>, after a run wrote new facts for them. A
    /// scoresheet that fails is logged and left as it was; the others go on.
    /// </summary>
    public async Task<int> RescoreAfterRunAsync(long runId, IReadOnlyCollection<string> periods, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sheets = await store.ReadingAnyAsync(periods, ct);
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

/// <summary>The organisation has no scoresheet for the cycle yet, and the caller may not create one.</summary>
public sealed class ScoresheetNotFoundException(string message) : ScoresheetException(message);

/// <summary>The caller asked to write a column its role does not write.</summary>
public sealed class ColumnRefusedException(string message) : ScoresheetException(message);
