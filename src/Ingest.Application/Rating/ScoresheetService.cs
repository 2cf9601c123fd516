using Ingest.Application.People;
using Ingest.Application.UseCases;
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
    LevelStore levels,
    AccessRules access,
    Data.Files.EvidenceFileStore evidence,
    TimeProvider clock,
    IOptionsMonitor<ScoringSettings> settings)
{
    /// <summary>The configuration section of <see cref="ScoringSettings"/>.</summary>
    public const string Section = "Scoring";

    /// <summary>The scoresheet of an organisation in a cycle, pre-filled first (by <paramref name="by"/>, audited) if it has none yet.</summary>
    internal Task<Scoresheet> GetOrBuildAsync(string orgCode, EvaluationCycle cycle, Actor by, CancellationToken ct) => GetAsync(orgCode, cycle, by, ct);

    /// <summary>
    /// The scoresheet of an organisation in a cycle. A caller that may write it (<paramref name="opener"/>) pre-fills a
    /// sheet that does not exist yet, and the trail records that it did (sheet.open); without one (a caller that may only
    /// read) it is not created: reading never writes.
    /// </summary>
    /// <exception cref="ScoresheetNotFoundException">No sheet yet, and no <paramref name="opener"/>.</exception>
    internal async Task<Scoresheet> GetAsync(string orgCode, EvaluationCycle cycle, Actor? opener, CancellationToken ct)
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
    internal async Task<Scoresheet> AsOfAsync(string orgCode, EvaluationCycle cycle, DateTimeOffset at, CancellationToken ct)
    {
        var sheet = await GetAsync(orgCode, cycle, opener: null, ct);
        var facts = await reader.ReadFactsAsync([orgCode, Organisation.RegionCode], sheet.Periods.All().Select(p => p.Code).ToArray(), at, ct);
        var auto = AutoScorer.Prefill(sheet.Rubric, new ScoringContext(orgCode, sheet.Periods, settings.CurrentValue, new FactSet(facts)));
        var entries = sheet.Entries.Where(e => e.Entry.At <= at).ToArray();
        return sheet with { Auto = auto, Entries = entries, Columns = SheetColumns.Score(sheet.Rubric, auto, entries.Select(e => e.Entry).ToArray(), settings.CurrentValue.StarItemsMet), ScoredAt = at };
    }

    /// <summary>
    /// Records an entry in a column of the organisation's scoresheet for the cycle: a value, or a withdrawal
    /// (<see cref="EntryValue.Withdrawal"/>), signed with the caller's name. The column is the caller's own; one named
    /// must be it (the command line names any). Giving the value the line already holds records nothing.
    /// </summary>
    public async Task<Outcome<EntryOutcome>> EnterAsync(Caller caller, string orgCode, EvaluationCycle cycle, string target, Column? column, EntryValue value,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var written = AccessRules.ColumnFor(caller, await access.SheetAsync(caller, orgCode, ct), column);
        if (written.Refusal is { } refused)
        {
            return refused;
        }

        var sheet = await OpenAsync(orgCode, cycle, caller.Actor, ct);
        if (sheet.Refusal is { } missing)
        {
            return missing;
        }

        try
        {
            return await ApplyAsync(orgCode, cycle, written.Value, [(target, value)], caller.Actor, null, ct);
        }
        catch (SheetFrozenException e)
        {
            return Refusal.Conflict("已备案", e.Message);
        }
        catch (EntriesRefusedException e)
        {
            return Refusal.Invalid("录入未保存", e.Message, e.Errors);
        }
    }

    /// <summary>
    /// Records several entries in one column, all or none (a filled workbook, the 学校自评 of a claims file). The caller
    /// has checked access; this is the application's own step, not a front end's.
    /// </summary>
    /// <exception cref="EntriesRefusedException">An entry cannot be taken; nothing is recorded.</exception>
    internal async Task<EntryOutcome> ApplyAsync(string orgCode, EvaluationCycle cycle, Column column, IReadOnlyList<(string Target, EntryValue Value)> changes,
        Actor by, ImportSource? import, CancellationToken ct)
    {
        var sheet = await GetOrBuildAsync(orgCode, cycle, by, ct);
        var batch = await store.RecordEntriesAsync(sheet.Id, column, locked => EntryRules.Decide(locked, column, changes, by, import, settings.CurrentValue.StarItemsMet), by, import, ct);
        return new EntryOutcome(await LoadAsync(sheet.Id, ct), batch.Entries.Count, batch.Unchanged);
    }

    /// <summary>
    /// Imports a filled 填报表 (<see cref="FillForm"/>): checks every row, then records what changed in the column it
    /// fills, all or none, as one import in the entry log. The file must fill the caller's column of a sheet the caller
    /// writes; <paramref name="expected"/>: the sheet the caller means, and a file of another organisation or cycle is
    /// refused.
    /// </summary>
    public async Task<Outcome<EntryOutcome>> ImportAsync(Caller caller, Stream workbook, string fileName, (string OrgCode, EvaluationCycle Cycle)? expected,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        fileName = Ingest.Core.Text.FileNames.OfUpload(fileName, "填报表.xlsx");
        SheetPermit? permit = null;
        FilledForm form;
        try
        {
            form = await FillForm.ReadAsync(workbook, fileName, async (org, cycle) =>
            {
                if (expected is { } e && (e.OrgCode != org || e.Cycle != cycle))
                {
                    throw new FormImportException(fileName, [$"这是 {org} {cycle.Year}年度的填报表，不是 {e.OrgCode} {e.Cycle.Year}年度的"]);
                }

                permit = await access.SheetAsync(caller, org, ct);
                if (!permit.MayBuild)
                {
                    throw new FormImportException(fileName, [permit.Refusal ?? $"{caller.Describe()}只能查看 {org} 的评分表，不能导入"]);
                }

                var sheet = await OpenAsync(org, cycle, caller.Actor, ct);
                return sheet.IsDone
                    ? (sheet.Value, await evidence.ListAsync(cycle.ToString(), org, ct))
                    : throw new FormImportException(fileName, [sheet.Refusal!.Message]);
            });
        }
        catch (FormImportException e)
        {
            return FileRefused(e.File, e.Errors);
        }

        if (!permit!.Writes(form.Column))
        {
            return Refusal.Forbidden($"{fileName} 是{RaterText.ColumnTitle(form.Column)}栏的填报表；本账号只能导入{(permit.Write is { } own ? RaterText.ColumnTitle(own) : "—")}栏");
        }

        try
        {
            return await ApplyAsync(form.OrgCode, form.Cycle, form.Column, form.Changes, caller.Actor, new ImportSource(fileName), ct);
        }
        catch (SheetFrozenException e)
        {
            return Refusal.Conflict("已备案", e.Message);
        }
        catch (EntriesRefusedException e)
        {
            return FileRefused(fileName, e.Errors.Select(x => x.Message).ToArray());
        }
    }

    private static Refusal FileRefused(string file, IReadOnlyList<string> errors) =>
        Refusal.Invalid("填报表未导入", $"{file}：{errors.Count} 处错误，未导入任何内容", errors.Select(e => new FieldError(file, e)).ToArray(), file);

    /// <summary>The sheet, pre-filled first if it has none yet; an organisation that is not in the directory, or of the wrong level for the cycle, is refused.</summary>
    private async Task<Outcome<Scoresheet>> OpenAsync(string orgCode, EvaluationCycle cycle, Actor by, CancellationToken ct) =>
        await OrganisationRefusalAsync(orgCode, cycle, ct) is { } refusal ? refusal : await GetOrBuildAsync(orgCode, cycle, by, ct);

    private async Task<Scoresheet> LoadAsync(long id, CancellationToken ct) =>
        SheetColumns.Compose(await reader.LoadAsync(id, ct) ?? throw new ScoresheetException($"评分表 {id} 不存在"), settings.CurrentValue.StarItemsMet);
}

