using Ingest.Core.Periods;

namespace Ingest.Application.Ingestion;

/// <summary>
/// Periods of a cycle where they differ from docs/domain.md's defaults (section <c>Ingest:CyclePeriods</c>, keyed by cycle,
/// e.g. <c>Ingest:CyclePeriods:county:2024:InfrastructureExport = 2024-12-30</c>).
/// </summary>
public sealed class CyclePeriodsOverride
{
    public string? CalendarYear { get; set; }

    public string? SchoolYear { get; set; }

    public string? InfrastructureExport { get; set; }
}

/// <summary>Resolves a cycle's periods: docs/domain.md's defaults, overridden by <c>Ingest:CyclePeriods:{cycle}</c>.</summary>
public static class CyclePeriodsResolver
{
    public static CyclePeriods Resolve(IConfiguration configuration, EvaluationCycle cycle)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(cycle);
        var defaults = CyclePeriods.DefaultFor(cycle);
        var o = configuration.GetSection("Ingest:CyclePeriods").GetSection(cycle.ToString()).Get<CyclePeriodsOverride>();
        if (o is null)
        {
            return defaults;
        }

        return new CyclePeriods(
            o.CalendarYear is null ? defaults.CalendarYear : Period.Parse(o.CalendarYear),
            o.SchoolYear is null ? defaults.SchoolYear : Period.Parse(o.SchoolYear),
            o.InfrastructureExport is null ? defaults.InfrastructureExport : Period.Parse(o.InfrastructureExport));
    }
}
