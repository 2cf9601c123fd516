using Ingest.Core.Periods;
using Ingest.Scoring.Rubrics;

namespace Ingest.Scoring.Sheets;

/// <summary>Where and when a scoresheet reads its facts.</summary>
/// <param name="OrgCode">The school or county rated.</param>
/// <param name="Periods">The cycle's periods (docs/domain.md, configurable).</param>
public sealed record ScoringContext(string OrgCode, CyclePeriods Periods, ScoringSettings Settings, IFactSource Facts)
{
    public string PeriodOf(PeriodRole role) => role switch
    {
        PeriodRole.CalendarYear => Periods.CalendarYear.Code,
        PeriodRole.SchoolYear => Periods.SchoolYear.Code,
        PeriodRole.Export => Periods.InfrastructureExport.Code,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };
}
