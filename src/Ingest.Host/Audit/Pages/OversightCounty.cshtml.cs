using Ingest.Application.Oversight;
using Ingest.Application.People;
using Ingest.Application.UseCases;
using Ingest.Core.Periods;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;

namespace Ingest.Host.Audit.Pages;

/// <summary>
/// 评定监督, one county: each school its bureau rated, furthest beyond the data first, with every pre-filled line the bureau
/// overrode (by how much, why, who), its level against the data's, and on-site lines far from the school's 自评.
/// </summary>
[Allow(Roles.Department, Roles.Auditor, Org = OrgFrom.Route, Key = "county")]
public sealed class OversightCountyModel(OversightService oversight) : CountyCyclePage
{
    public CountyOversight Report { get; private set; } = null!;

    public Ingest.Data.Oversight.CountyDecision? Decision { get; private set; }

    public bool MayDecide => User.IsInRole(Roles.Department);

    public Task<IActionResult> OnPostDecideAsync(bool criticised, string? quota, string? note, CancellationToken ct) => ActAsync(MayDecide, async (caller, cycle) =>
    {
        var decided = await oversight.DecideAsync(caller, County, cycle, criticised, quota, note, ct);
        return decided.Refusal is { } no ? no : Outcome.Done("已记录教育厅的决定");
    }, ct);

    protected override async Task<Refusal?> ShowAsync(Caller caller, EvaluationCycle cycle, CancellationToken ct)
    {
        var outcome = await oversight.CountyAsync(caller, County, cycle, ct);
        if (outcome.Refusal is { } no)
        {
            return no;
        }

        Report = outcome.Value;
        Decision = (await oversight.DecisionAsync(caller, County, cycle, ct)).Value;
        return null;
    }
}
