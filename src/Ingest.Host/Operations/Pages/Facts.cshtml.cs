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

    /// <summary>The indicators the typed name matched, when it matched more than one: the person picks.</summary>
    public IReadOnlyList<Ingest.Core.Indicators.IndicatorDefinition> Candidates { get; private set; } = [];

    /// <summary>More facts matched than the page shows (<see cref="Shown"/>).</summary>
    public bool More { get; private set; }

    /// <summary>The most facts the page lists at once.</summary>
    public const int Shown = 500;

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

        // An indicator by its name as well as its code: 应用指数, or cloud.app_index.
        if (Indicator is not null)
        {
            var found = Ingest.Core.Indicators.IndicatorCatalogue.Search(Indicator);
            if (found.Count == 0)
            {
                Refusal = $"没有名称或代码含“{Indicator}”的指标";
                return Page();
            }

            if (found.Count > 1)
            {
                Candidates = found;
                return Page();
            }

            Indicator = found[0].Code;
        }

        var rows = await facts.ListAsync(Org, Indicator, Period, Shown + 1, ct);
        More = rows.Count > Shown;
        Rows = rows.Take(Shown).ToArray();
        if (Org is not null && Indicator is not null && Period is not null && !string.IsNullOrWhiteSpace(Source))
        {
            History = await facts.HistoryAsync(Org, Indicator, Period, Source, ct);
        }

        return Page();
    }
}
