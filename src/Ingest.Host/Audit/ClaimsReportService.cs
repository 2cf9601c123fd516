using System.ComponentModel.DataAnnotations;
using Ingest.Core.Periods;
using Ingest.Data.Claims;
using Ingest.Data.Organisations;
using Ingest.Host.Scoring;
using Ingest.Scoring.Claims;
using Microsoft.Extensions.Options;

namespace Ingest.Host.Audit;

/// <summary>How far a claim may go beyond the data before it is flagged (<c>Claims</c>).</summary>
public sealed class ClaimsOptions
{
    public const string Section = "Claims";

    /// <summary>Points a claimed score may exceed the data's score by before it is 高于数据. Default 0.</summary>
    [Range(0, 10)]
    public decimal ScoreTolerance { get; set; }

    /// <summary>The share a claimed figure may exceed the online figure by before it is flagged (0.05 = 5%). Default 0.</summary>
    [Range(0, 10)]
    public decimal FigureTolerance { get; set; }
}

/// <summary>One county in the discrepancy report: schools with excess, total excess points, schools whose level is in doubt.</summary>
public sealed record CountyClaimsReport(string CountyCode, string CountyName, string Cycle, int SchoolsWithClaims, int SchoolsWithExcess, decimal TotalExcess,
    IReadOnlyList<string> LevelInDoubt, IReadOnlyList<SchoolClaimsReport> Schools);

/// <summary>The auditors' discrepancy report: each school's current claims against its scoresheet, sorted by excess.</summary>
public sealed class ClaimsReportService(ClaimStore claims, ScoresheetService sheets, OrganisationStore organisations, IOptionsMonitor<ClaimsOptions> options)
{
    /// <summary>The report of one school, or null when it has no claims for the cycle.</summary>
    public async Task<SchoolClaimsReport?> SchoolAsync(string school, EvaluationCycle cycle, CancellationToken ct)
    {
        var current = (await claims.CurrentAsync(cycle.ToString(), [school], ct)).SingleOrDefault();
        return current is null ? null : await CompareAsync(current, cycle, ct);
    }

    /// <summary>The report of a county: every school of it with claims, the most excess first.</summary>
    /// <exception cref="Ingest.Scoring.Sheets.ScoresheetException">The county is not in the directory.</exception>
    public async Task<CountyClaimsReport> CountyAsync(string county, EvaluationCycle cycle, CancellationToken ct)
    {
        var org = await organisations.FindAsync(county, ct) ?? throw new Ingest.Scoring.Sheets.ScoresheetException($"机构目录中没有县（区）{county}");
        var schools = (await organisations.ListSchoolsAsync(county, ct)).Select(s => s.Code).ToArray();
        var reports = new List<SchoolClaimsReport>();
        foreach (var current in await claims.CurrentAsync(cycle.ToString(), schools, ct))
        {
            reports.Add(await CompareAsync(current, cycle, ct));
        }

        var sorted = reports.OrderByDescending(r => r.Excess).ThenBy(r => r.SchoolCode, StringComparer.Ordinal).ToArray();
        return new CountyClaimsReport(county, org.Name, cycle.ToString(), sorted.Length, sorted.Count(r => r.Excess > 0), sorted.Sum(r => r.Excess),
            sorted.Where(r => r.LevelInDoubt).Select(r => r.SchoolCode).ToArray(), sorted);
    }

    private async Task<SchoolClaimsReport> CompareAsync(CurrentClaims current, EvaluationCycle cycle, CancellationToken ct)
    {
        // A claims import pre-filled the sheet, so reading it never builds one on a reader's behalf.
        var sheet = await sheets.GetAsync(current.SchoolCode, cycle, build: false, ct);
        var settings = options.CurrentValue;
        return ClaimsComparer.Compare(sheet, current.Claims.Select(c => new ClaimedLine(c.Target, c.Item, c.Score, c.Figure, c.Note, c.Line)).ToArray(),
            new ClaimTolerance(settings.ScoreTolerance, settings.FigureTolerance));
    }
}
