using Ingest.Application.People;
using Ingest.Data.Facts;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Operations.Pages;

/// <summary>Facts by organisation, indicator and period; with all three (and a source) given, the fact's history with the run of each value.</summary>
[Allow(Roles.Ops, Roles.Auditor, Org = OrgFrom.Query, Key = "org")]
public sealed class FactsModel(FactReader facts, AccessRules rules) : PageModel
{
    [FromQuery]
    public string? Org { get; set; }

    [FromQuery]
    public string? Indicator { get; set; }

    [FromQuery]
    public string? Period { get; set; }

    [FromQuery]
    public string? Source { get; set; }

    public IReadOnlyList<StoredFact>? Rows { get; private set; }

    public IReadOnlyList<StoredFact>? History { get; private set; }

    public string? Refusal { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Org = string.IsNullOrWhiteSpace(Org) ? null : Org.Trim();
        Indicator = string.IsNullOrWhiteSpace(Indicator) ? null : Indicator.Trim();
        Period = string.IsNullOrWhiteSpace(Period) ? null : Period.Trim();
        Refusal = await rules.FactsRefusalAsync(HttpCaller.Of(HttpContext), Org, ct);
        if (Refusal is not null)
        {
            if (Org is not null)
            {
                return Forbid();
            }

            return Page();
        }

        if (Org is null && Indicator is null && Period is null)
        {
            return Page();
        }

        Rows = await facts.ListAsync(Org, Indicator, Period, 500, ct);
        if (Org is not null && Indicator is not null && Period is not null && !string.IsNullOrWhiteSpace(Source))
        {
            History = await facts.HistoryAsync(Org, Indicator, Period, Source, ct);
        }

        return Page();
    }
}
