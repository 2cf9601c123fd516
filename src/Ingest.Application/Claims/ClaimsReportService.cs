using Ingest.Application.Ingestion;
using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Application.UseCases;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Data.Claims;
using Ingest.Data.Organisations;
using Ingest.Data.Runs;
using Ingest.Data.Scoresheets;
using Ingest.Scoring.Claims;
using Ingest.Scoring.Sheets;
using Microsoft.Extensions.Options;

namespace Ingest.Application.Claims;

/// <summary>
/// The auditors' discrepancy report: each school's claims against its scoresheet, sorted by excess. Produced from the
/// current figures, or as of a time or a run (the claims imported by then, the facts as they stood then, the entries made
/// by then), so a report handed out reads the same later; it names the runs whose facts it used.
/// </summary>
public sealed class ClaimsReportService(ClaimStore claims, ScoresheetService sheets, ScoresheetReader store, OrganisationStore organisations, RunReader runs,
    AccessRules access, IConfiguration configuration, IOptionsMonitor<ClaimsOptions> options)
{
    /// <summary>
    /// The report of one school the caller may see: not found when the school had no claims for the cycle at that moment;
    /// invalid when the moment names a run that does not exist or has not ended.
    /// </summary>
    public async Task<Outcome<SchoolClaimsAudit>> SchoolAsync(Caller caller, string school, EvaluationCycle cycle, ReportMoment moment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(cycle);
        if (!(await access.SheetAsync(caller, school, ct)).Read)
        {
            return Refusal.Forbidden($"{caller.Describe()}无权查看 {school} 的自评核查");
        }

        var at = await ResolveAsync(moment, ct);
        if (at.Refusal is { } refusal)
        {
            return refusal;
        }

        var current = (await claims.CurrentAsync(cycle.ToString(), [school], at.Value, ct)).SingleOrDefault();
        if (current is null)
        {
            return Refusal.NotFound("没有自评", $"{school} 在{(moment == ReportMoment.Now ? "" : "所选时间")} {cycle.Year} 年度没有自评");
        }

        return await SchoolAsync(current, cycle, moment, at.Value, ct);
    }

    private async Task<SchoolClaimsAudit> SchoolAsync(CurrentClaims current, EvaluationCycle cycle, ReportMoment moment, DateTimeOffset? at, CancellationToken ct)
    {
        var school = current.SchoolCode;

        var (report, sheet) = await CompareAsync(current, cycle, at, ct);
        var evidence = report.Lines.ToDictionary(l => l.Claim.Target, l => (IReadOnlyList<FactEvidence>)sheet.Rubric.Find(l.Claim.Item)!.Targets
            .Where(t => l.Claim.Target == l.Claim.Item || t.Key == l.Claim.Target)
            .SelectMany(t => sheet.Auto.GetValueOrDefault(t.Key)?.Evidence ?? []).Distinct().ToArray());
        var county = (await organisations.FindAsync(school, ct))?.ParentCode;
        var surges = county is null ? [] : await SurgesAsync(county, [school], cycle, at, ct);
        return new SchoolClaimsAudit(cycle.ToString(), await BasisAsync(at, moment.Run, [sheet], ct), report,
            new ClaimsImportRef(current.ImportId, current.FileName, current.ImportedBy, current.ImportedAt), evidence, surges,
            await RepeatedAsync([report], cycle, at, ct));
    }

    /// <summary>
    /// The report of a county: every school of it with claims, the most excess first. The department, the county's bureau
    /// and auditors in scope read it whole; a school of the county reads its own part; operations do not read it.
    /// </summary>
    public async Task<Outcome<CountyClaimsReport>> CountyAsync(Caller caller, string county, EvaluationCycle cycle, ReportMoment moment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var allowed = caller.Role switch
        {
            Roles.Ops => false,
            Roles.School => (await organisations.FindAsync(caller.Scope, ct))?.ParentCode == county,
            _ => await access.InScopeAsync(caller, county, ct),
        };
        if (!allowed)
        {
            return Refusal.Forbidden($"{caller.Describe()}无权查看 {county} 的自评核查报告");
        }

        var org = await organisations.FindAsync(county, ct);
        if (org is null)
        {
            return Refusal.NotFound("无法生成自评核查报告", $"机构目录中没有县（区）{county}");
        }

        var at = await ResolveAsync(moment, ct);
        if (at.Refusal is { } refusal)
        {
            return refusal;
        }

        var report = await CountyAsync(org, cycle, moment, at.Value, ct);
        return caller.Role == Roles.School ? report.OnlySchool(caller.Scope) : report;
    }

    private async Task<CountyClaimsReport> CountyAsync(Organisation org, EvaluationCycle cycle, ReportMoment moment, DateTimeOffset? at, CancellationToken ct)
    {
        var county = org.Code;
        var schools = (await organisations.ListSchoolsAsync(county, ct)).Select(s => s.Code).ToArray();
        var reports = new List<SchoolClaimsReport>();
        var used = new List<Scoresheet>();
        foreach (var current in await claims.CurrentAsync(cycle.ToString(), schools, at, ct))
        {
            var (report, sheet) = await CompareAsync(current, cycle, at, ct);
            reports.Add(report);
            used.Add(sheet);
        }

        var sorted = reports.OrderByDescending(r => r.Excess).ThenBy(r => r.SchoolCode, StringComparer.Ordinal).ToArray();
        return new CountyClaimsReport(county, org.Name, cycle.ToString(), await BasisAsync(at, moment.Run, used, ct), sorted.Length, sorted.Count(r => r.Excess > 0),
            sorted.Sum(r => r.Excess), sorted.Where(r => r.LevelInDoubt).Select(r => r.SchoolCode).ToArray(), sorted,
            await SurgesAsync(county, schools, cycle, at, ct), await RepeatedAsync(sorted, cycle, at, ct));
    }

    /// <summary>期末突击 among <paramref name="schools"/>, in every period of the cycle, from the lessons facts as they stood at <paramref name="at"/>.</summary>
    private async Task<IReadOnlyList<EndOfTermSurge>> SurgesAsync(string county, IReadOnlyCollection<string> schools, EvaluationCycle cycle, DateTimeOffset? at,
        CancellationToken ct)
    {
        var periods = CyclePeriodsResolver.Resolve(configuration, cycle).All().Select(p => p.Code).Distinct().ToArray();
        var lessons = (await store.ReadFactsAsync([county, .. schools], periods, at, ct)).Where(f => f.Indicator == GamingSigns.LessonsIndicator).ToArray();
        var ofCounty = lessons.Where(f => f.OrgCode == county).GroupBy(f => f.Period).ToDictionary(g => g.Key, g => g.First());
        var settings = options.CurrentValue;
        var rule = new SurgeRule(settings.SurgeMultiple, settings.SurgeWeeks, settings.SurgeMinimumLessons);
        return lessons.Where(f => f.OrgCode != county && ofCounty.ContainsKey(f.Period))
            .Select(f => GamingSigns.Surge(f, ofCounty[f.Period], rule)).OfType<EndOfTermSurge>()
            .OrderBy(s => s.SchoolCode, StringComparer.Ordinal).ThenBy(s => s.Period, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The items each school claimed beyond the data in this cycle and in the one before (both as they stood at <paramref name="at"/>).</summary>
    private async Task<IReadOnlyList<RepeatedExcess>> RepeatedAsync(IReadOnlyList<SchoolClaimsReport> reports, EvaluationCycle cycle, DateTimeOffset? at,
        CancellationToken ct)
    {
        var previous = cycle with { Year = cycle.Year - 1 };
        var repeated = new List<RepeatedExcess>();
        var earlier = (await claims.CurrentAsync(previous.ToString(), reports.Select(r => r.SchoolCode).ToArray(), at, ct)).ToDictionary(c => c.SchoolCode);
        foreach (var report in reports.Where(r => earlier.ContainsKey(r.SchoolCode)))
        {
            try
            {
                var (before, _) = await CompareAsync(earlier[report.SchoolCode], previous, at, ct);
                repeated.AddRange(GamingSigns.Repeated(before, previous.ToString(), report, cycle.ToString()));
            }
            catch (ScoresheetNotFoundException)
            {
                // Claims of a cycle whose sheet was never pre-filled: nothing to compare them with.
            }
        }

        return repeated;
    }

    /// <summary>The moment a report stands at: now (null), the time given, or the end of the run given; a run that does not exist or has not ended is refused.</summary>
    private async Task<Outcome<DateTimeOffset?>> ResolveAsync(ReportMoment moment, CancellationToken ct)
    {
        const string title = "无法生成自评核查报告";
        if (moment.Run is not { } id)
        {
            return Outcome.Done(moment.At);
        }

        if (moment.At is not null)
        {
            return Refusal.Invalid(title, "asOf", "“截至时间”与“截至采集批次”只能给出一个");
        }

        var run = (await runs.FindRunsAsync([id], ct)).SingleOrDefault();
        return run is null ? Refusal.Invalid(title, "run", $"没有编号为 {id} 的采集批次")
            : run.FinishedAt is { } finished ? Outcome.Done<DateTimeOffset?>(finished)
            : Refusal.Invalid(title, "run", $"采集批次 {id} 尚未结束：报告只能截至已结束的批次");
    }

    private async Task<ReportBasis> BasisAsync(DateTimeOffset? at, long? run, IEnumerable<Scoresheet> used, CancellationToken ct)
    {
        var ids = used.SelectMany(s => s.Auto.Values).SelectMany(a => a.Evidence).Select(f => f.RunId).Distinct().ToArray();
        return new ReportBasis(at, run, await runs.FindRunsAsync(ids, ct));
    }

    private async Task<(SchoolClaimsReport Report, Scoresheet Sheet)> CompareAsync(CurrentClaims current, EvaluationCycle cycle, DateTimeOffset? at, CancellationToken ct)
    {
        // A claims import pre-filled the sheet, so reading it never builds one on a reader's behalf.
        var sheet = at is { } moment ? await sheets.AsOfAsync(current.SchoolCode, cycle, moment, ct) : await sheets.GetAsync(current.SchoolCode, cycle, opener: null, ct);
        var settings = options.CurrentValue;
        var report = ClaimsComparer.Compare(sheet, current.Claims.Select(c => new ClaimedLine(c.Target, c.Item, c.Score, c.Figure, c.Note, c.Line) { Files = c.Files }).ToArray(),
            new ClaimTolerance(settings.ScoreTolerance, settings.FigureTolerance));
        return (report, sheet);
    }
}
