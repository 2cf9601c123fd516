using Ingest.Application.People;
using Ingest.Application.Remediation;
using Ingest.Application.UseCases;
using Ingest.Core.Periods;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Ingest.Host.Web;

namespace Ingest.Host.Scoring.Pages;

/// <summary>A county's 整改 items: the overdue first, then every item by deadline with its school, status and the data's word; the workbook to download.</summary>
[Allow(Roles.Department, Roles.Bureau, Roles.Auditor, Org = OrgFrom.Route, Key = "county")]
public sealed class RemediationCountyModel(RemediationService service) : CyclePage
{
    [FromRoute]
    public string County { get; set; } = string.Empty;

    public CountyRemediation View { get; private set; } = null!;

    protected override async Task<Refusal?> ShowAsync(Caller caller, EvaluationCycle cycle, CancellationToken ct)
    {
        var view = await service.CountyAsync(caller, County, cycle, ct);
        View = view.IsDone ? view.Value : View;
        return view.Refusal;
    }
}
