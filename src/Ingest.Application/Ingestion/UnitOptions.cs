using System.ComponentModel.DataAnnotations;

namespace Ingest.Application.Ingestion;

/// <summary>How long a unit may hold its lease between renewals, and how long it may work at all (section <c>Ingest:Units</c>).</summary>
public sealed class UnitOptions
{
    public const string Section = "Ingest:Units";

    /// <summary>
    /// The lease a running unit holds and renews every third of it. When its process dies the lease runs out and the
    /// unit is marked interrupted within about this long. Default 2 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:03", "01:00:00", ErrorMessage = "Ingest:Units:Lease 应在 3 秒到 1 小时之间")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A unit still working after this long is stopped and fails with the reason; the rest of the run goes on. Default 2 hours.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Ingest:Units:Deadline 应在 1 秒到 1 天之间")]
    public TimeSpan Deadline { get; set; } = TimeSpan.FromHours(2);
}
