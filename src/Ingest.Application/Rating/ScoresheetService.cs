using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Data.Audit;
using Ingest.Data.Organisations;
using Ingest.Data.Scoresheets;
using Ingest.Documents.Forms;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;
using Microsoft.Extensions.Options;

namespace Ingest.Application.Rating;

/// <summary>
/// Reads and fills scoresheets: a sheet now or as it stood, a county's, entries and imports, the 星级认定表, contacts and
/// 申报星级. Used by the pages, the API and the CLI; pre-filling is <see cref="ScoresheetPrefill"/>'s.
/// </summary>
public sealed partial class ScoresheetService(
    ScoresheetStore store,
    ScoresheetReader reader,
    ScoresheetPrefill prefill,
    OrganisationContactStore contacts,
    IOptionsMonitor<ScoringSettings> settings)
{
    /// <summary>The configuration section of <see cref="ScoringSettings"/>.</summary>
    public const string Section = "Scoring";

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
        var id = await reader.FindAsync(orgCode, RubricLibrary.Default(cycle.Rubric).Id, cycle, ct);
        return id is { } existing ? await LoadAsync(existing, ct)
            : opener is not null ? await prefill.BuildAsync(orgCode, cycle, opener, ct)
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
        var facts = await reader.ReadFactsAsync([orgCode, Organisation.RegionCode], sheet.Periods.All().Select(p => p.Code).ToArray(), at, ct);
        var auto = AutoScorer.Prefill(sheet.Rubric, new ScoringContext(orgCode, sheet.Periods, settings.CurrentValue, new FactSet(facts)));
        var entries = sheet.Entries.Where(e => e.Entry.At <= at).ToArray();
        return sheet with { Auto = auto, Entries = entries, Columns = SheetColumns.Score(sheet.Rubric, auto, entries.Select(e => e.Entry).ToArray()), ScoredAt = at };
    }

    /// <summary>The scoresheets of a county in a cycle (its schools', or its own), in code order, and the county's name.</summary>
    public async Task<(string CountyName, IReadOnlyList<Scoresheet> Sheets)> LoadCountyAsync(string countyCode, EvaluationCycle cycle, CancellationToken ct)
    {
        var county = await reader.FindOrganisationAsync(countyCode, ct)
            ?? throw new ScoresheetException($"机构目录中没有 {countyCode}：请先采集该县（区）的数据");
        var sheets = new List<Scoresheet>();
        foreach (var summary in await reader.ListAsync(cycle, countyCode, ct))
        {
            sheets.Add(await LoadAsync(summary.Id, ct));
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
        var batch = await store.RecordEntriesAsync(sheet.Id, column, locked => EntryRules.Decide(locked, column, changes, by, import), by, import, ct);
        return new EntryOutcome(await LoadAsync(sheet.Id, ct), batch.Entries.Count, batch.Unchanged);
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

    private async Task<Scoresheet> LoadAsync(long id, CancellationToken ct) =>
        SheetColumns.Compose(await reader.LoadAsync(id, ct) ?? throw new ScoresheetException($"评分表 {id} 不存在"));
}

