using Ingest.Core.Sheets;
using Ingest.Data.Runs;
using Ingest.Scoring.Claims;

namespace Ingest.Application.Claims;

/// <summary>One county in the discrepancy report: schools with excess, total excess points, schools whose level is in doubt.</summary>
/// <remarks>
/// Beyond the claims, the signs of gaming: every school of the county whose online lessons surge at the end of a period
/// (期末突击), and the items schools claimed beyond the data in this cycle and the one before.
/// </remarks>
public sealed record CountyClaimsReport(string CountyCode, string CountyName, string Cycle, ReportBasis Basis, int SchoolsWithClaims, int SchoolsWithExcess,
    decimal TotalExcess, IReadOnlyList<string> LevelInDoubt, IReadOnlyList<SchoolClaimsReport> Schools, IReadOnlyList<EndOfTermSurge> Surges,
    IReadOnlyList<RepeatedExcess> Repeated)
{
    /// <summary>
    /// The report as one school of the county may read it: its own lines and signs, and figures counted over it alone,
    /// so that nothing of the other schools (not even the county's totals) reaches it.
    /// </summary>
    public CountyClaimsReport OnlySchool(string schoolCode)
    {
        var own = Schools.Where(s => s.SchoolCode == schoolCode).ToArray();
        return this with
        {
            SchoolsWithClaims = own.Length,
            SchoolsWithExcess = own.Count(s => s.Excess > 0),
            TotalExcess = own.Sum(s => s.Excess),
            LevelInDoubt = own.Where(s => s.LevelInDoubt).Select(s => s.SchoolCode).ToArray(),
            Schools = own,
            Surges = Surges.Where(s => s.SchoolCode == schoolCode).ToArray(),
            Repeated = Repeated.Where(s => s.SchoolCode == schoolCode).ToArray(),
        };
    }
}

/// <summary>
/// What a report was produced from: the moment it stands at (null: the figures as they are now), the run that moment was
/// taken from when one was named, and the runs that recorded the facts it used.
/// </summary>
public sealed record ReportBasis(DateTimeOffset? AsOf, long? AsOfRun, IReadOnlyList<RunHeader> Runs);

/// <summary>
/// One school's discrepancy report, what it was produced from, the claims import it reads, and for each compared claim
/// (by its target) every fact the data's score was computed from.
/// </summary>
public sealed record SchoolClaimsAudit(string Cycle, ReportBasis Basis, SchoolClaimsReport Report, ClaimsImportRef Import,
    IReadOnlyDictionary<string, IReadOnlyList<FactEvidence>> Evidence, IReadOnlyList<EndOfTermSurge> Surges, IReadOnlyList<RepeatedExcess> Repeated);

/// <summary>The import a school's claims come from: its file, who imported it and when.</summary>
public sealed record ClaimsImportRef(long Id, string FileName, string ImportedBy, DateTimeOffset ImportedAt);
