using System.Globalization;
using Ingest.Application.Ingestion;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Data.Audit;
using Ingest.Data.Organisations;
using Ingest.Data.Scoresheets;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;
using Microsoft.Extensions.Options;

namespace Ingest.Application.Rating;

/// <summary>
/// Pre-fills and re-scores scoresheets: the cycle's periods and the scoring settings from configuration, the facts from
/// the store, the rules from the rubric; one sheet, a county's, the region's, or those a run's new facts change.
/// </summary>
public sealed partial class ScoresheetPrefill(
    ScoresheetStore store,
    ScoresheetReader reader,
    OrganisationStore organisations,
    IConfiguration configuration,
    IOptionsMonitor<ScoringSettings> settings,
    ILogger<ScoresheetPrefill> logger)
{
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
        var org = await reader.FindOrganisationAsync(orgCode, ct)
            ?? throw new ScoresheetException($"机构目录中没有 {orgCode}：请先采集其所在县（区）的数据");
        if (LevelProblem(org, cycle) is { } problem)
        {
            throw new ScoresheetException(problem);
        }

        var rubric = RubricLibrary.Default(cycle.Rubric);
        // A finalised sheet (备案) stands as it was finalised: it is not re-scored.
        if (await reader.FindAsync(orgCode, rubric.Id, cycle, ct) is { } existing && await reader.LoadAsync(existing, ct) is { Frozen.Count: > 0 } frozen)
        {
            return SheetColumns.Compose(frozen, settings.CurrentValue.StarItemsMet);
        }

        var periods = CyclePeriodsResolver.Resolve(configuration, cycle);
        var current = settings.CurrentValue;
        var facts = await reader.ReadFactsAsync([orgCode, Organisation.RegionCode], periods.All().Select(p => p.Code).ToArray(), ct);
        var auto = AutoScorer.Prefill(rubric, new ScoringContext(orgCode, periods, current, new FactSet(facts)));
        var id = await store.SaveAutoAsync(orgCode, rubric.Id, cycle, periods, SettingsUsed(cycle, periods, auto), auto, SheetColumns.Scorer(rubric, current.StarItemsMet), by, ct);
        return SheetColumns.Compose((await reader.LoadAsync(id, ct))!, current.StarItemsMet);
    }

    /// <summary>What a sheet names as the settings its scores rest on: the cycle's periods, then each rule's own.</summary>
    private static string[] SettingsUsed(EvaluationCycle cycle, CyclePeriods periods, IReadOnlyDictionary<string, AutoOutcome> auto) =>
    [
        $"Ingest:CyclePeriods:{cycle}：自然年 {periods.CalendarYear}，学年 {periods.SchoolYear}，基础设施导出 {periods.InfrastructureExport}",
        .. auto.Values.SelectMany(a => a.Settings).Distinct(StringComparer.Ordinal),
    ];

    /// <summary>Why <paramref name="org"/> has no sheet in <paramref name="cycle"/> (a school cycle rates schools, a county cycle counties), or null.</summary>
    internal static string? LevelProblem(Organisation org, EvaluationCycle cycle)
    {
        var wanted = cycle.Rubric == RubricKind.School ? OrgLevel.School : OrgLevel.County;
        return org.Level == wanted ? null
            : string.Create(CultureInfo.InvariantCulture, $"{org.Code}（{org.Name}）是{LevelWord(org.Level)}，{cycle} 的评分表评的是{LevelWord(wanted)}");
    }

    private static string LevelWord(OrgLevel level) => level switch
    {
        OrgLevel.School => "学校",
        OrgLevel.County => "县（区）",
        OrgLevel.City => "地级市",
        _ => "自治区",
    };
}
