using Ingest.Application.People;
using Ingest.Application.UseCases;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Data.Scoresheets;
using Ingest.Documents.Forms;
using Ingest.Scoring.Sheets;

namespace Ingest.Application.Rating;

/// <summary>The county's scoresheets of a cycle, in code order, and the county's name.</summary>
public sealed record CountySheets(string CountyCode, string CountyName, IReadOnlyList<Scoresheet> Sheets);

/// <summary>Reading and pre-filling sheets for a caller: each checks the caller's scope first, and answers an outcome.</summary>
public sealed partial class ScoresheetService
{
    /// <summary>
    /// The scoresheet as <paramref name="caller"/> may see it: refused outside its scope; pre-filled first when it has
    /// none yet and the caller writes a column of it; not found when it has none and the caller only reads, or when the
    /// organisation is not one the cycle rates.
    /// </summary>
    /// <param name="prefill">False: a sheet that does not exist yet is not found, whoever asks (a page never writes on GET).</param>
    public async Task<Outcome<Scoresheet>> ReadAsync(Caller caller, string orgCode, EvaluationCycle cycle, CancellationToken ct, bool prefill = true)
    {
        ArgumentNullException.ThrowIfNull(caller);
        // What does not exist is not found, whoever asks (school codes are public); what exists may still be refused.
        if (await OrganisationRefusalAsync(orgCode, cycle, ct) is { } refusal)
        {
            return refusal;
        }

        var permit = await access.SheetAsync(caller, orgCode, ct);
        if (!permit.Read)
        {
            return Refusal.Forbidden(permit.Refusal!);
        }

        try
        {
            return await GetAsync(orgCode, cycle, prefill && permit.MayBuild ? caller.Actor : null, ct);
        }
        catch (ScoresheetNotFoundException e)
        {
            return Refusal.NotFound("评分表尚未预填", e.Message) with { Code = Refusal.NotPrefilled };
        }
        catch (ScoresheetException e)
        {
            return Refusal.NotFound("评分表无法打开", e.Message);
        }
    }

    /// <summary>Why the organisation has no sheet in the cycle: not in the directory (not found), or not of the level the cycle rates (invalid).</summary>
    private async Task<Refusal?> OrganisationRefusalAsync(string orgCode, EvaluationCycle cycle, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        if (RatingCycles.Refusal(cycle, clock.GetUtcNow()) is { } unknown)
        {
            return unknown;
        }

        var org = await reader.FindOrganisationAsync(orgCode, ct);
        return org is null ? Refusal.NotFound("评分表无法打开", $"机构目录中没有 {orgCode}：请先采集其所在县（区）的数据")
            : ScoresheetPrefill.LevelProblem(org, cycle) is { } problem ? Refusal.Invalid("评分表无法打开", "org", problem)
            : null;
    }

    /// <summary>The 星级认定表 of a school the caller may see (<see cref="ReadAsync"/>); a county cycle has none.</summary>
    public async Task<Outcome<SchoolFormModel>> SchoolFormAsync(Caller caller, string orgCode, EvaluationCycle cycle, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        if (cycle.Rubric != RubricKind.School)
        {
            return Refusal.Invalid("认定表无法生成", "cycle", "星级认定表是学校的表；县（区）评分表请导出为 csv 或 json");
        }

        var sheet = await ReadAsync(caller, orgCode, cycle, ct);
        return sheet.IsDone ? await SchoolFormAsync(orgCode, cycle, opener: null, ct) : sheet.Refusal!;
    }

    /// <summary>The scoresheets of a county the caller may see, as they stand (nothing is pre-filled).</summary>
    public async Task<Outcome<CountySheets>> CountyAsync(Caller caller, string countyCode, EvaluationCycle cycle, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var permit = await access.SheetAsync(caller, countyCode, ct);
        if (!permit.Read)
        {
            return Refusal.Forbidden(permit.Refusal!);
        }

        var county = await reader.FindOrganisationAsync(countyCode, ct);
        if (county is null)
        {
            return Refusal.NotFound("评分表无法打开", $"机构目录中没有 {countyCode}：请先采集该县（区）的数据");
        }

        var sheets = new List<Scoresheet>();
        foreach (var summary in await reader.ListAsync(cycle, countyCode, ct))
        {
            sheets.Add(await LoadAsync(summary.Id, ct));
        }

        return new CountySheets(countyCode, county.Name, sheets);
    }

    /// <summary>Pre-fills or re-scores one sheet from the current facts, for a caller that writes a column of it; every entry is kept.</summary>
    public Task<Outcome<Scoresheet>> BuildAsync(Caller caller, string orgCode, EvaluationCycle cycle, CancellationToken ct) =>
        BuildingAsync<Scoresheet>(caller, orgCode, async () => await OrganisationRefusalAsync(orgCode, cycle, ct) is { } refusal ? refusal
            : await prefill.BuildAsync(orgCode, cycle, caller.Actor, ct), ct);

    /// <summary>Pre-fills the sheets of every active school of a county (a school cycle) or of the county (a county cycle).</summary>
    public Task<Outcome<IReadOnlyList<ScoresheetSummary>>> BuildCountyAsync(Caller caller, string countyCode, EvaluationCycle cycle, CancellationToken ct) =>
        BuildingAsync(caller, countyCode, async () => Outcome.Done(await prefill.BuildCountyAsync(countyCode, cycle, caller.Actor, ct)), ct);

    /// <summary>Pre-fills or re-scores, set-based, every sheet of the region in a cycle: the department's (or the command line's).</summary>
    public Task<Outcome<BulkScoreOutcome>> BuildRegionAsync(Caller caller, EvaluationCycle cycle, CancellationToken ct) =>
        BuildingAsync<BulkScoreOutcome>(caller, Organisation.RegionCode, async () => await prefill.BuildRegionAsync(cycle, caller.Actor, ct), ct);

    private async Task<Outcome<T>> BuildingAsync<T>(Caller caller, string orgCode, Func<Task<Outcome<T>>> build, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var permit = await access.SheetAsync(caller, orgCode, ct);
        if (!permit.MayBuild)
        {
            return Refusal.Forbidden(permit.Refusal ?? $"{caller.Describe()}只能查看评分表，不能预填");
        }

        try
        {
            return await build();
        }
        catch (ScoresheetException e)
        {
            return Refusal.NotFound("评分表未预填", e.Message);
        }
    }
}
