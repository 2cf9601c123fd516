using System.ComponentModel.DataAnnotations;

namespace Ingest.Host.Scheduling;

/// <summary>Hangfire settings (section <c>Ingest:Hangfire</c>).</summary>
public sealed class HangfireOptions
{
    public const string Section = "Ingest:Hangfire";

    /// <summary>PostgreSQL schema of Hangfire's own tables. Default <c>hangfire</c>.</summary>
    [Required(ErrorMessage = "Ingest:Hangfire:Schema is required.")]
    [RegularExpression("^[a-z_][a-z0-9_]*$", ErrorMessage = "Ingest:Hangfire:Schema must be a plain lower-case identifier.")]
    public string Schema { get; set; } = "hangfire";

    /// <summary>Workers on this host. Default 4; each runs one county unit at a time.</summary>
    [Range(1, 64, ErrorMessage = "Ingest:Hangfire:WorkerCount must be between 1 and 64.")]
    public int WorkerCount { get; set; } = 4;

    /// <summary>Serve the dashboard at <c>/hangfire</c> (local requests only). Default true.</summary>
    public bool Dashboard { get; set; } = true;

    /// <summary>Seconds an idle worker waits before looking at the queue again. Default 2.</summary>
    [Range(1, 300, ErrorMessage = "Ingest:Hangfire:QueuePollSeconds must be between 1 and 300.")]
    public int QueuePollSeconds { get; set; } = 2;

    /// <summary>Run the Hangfire server in this process. Default true; false for an API-only host.</summary>
    public bool Server { get; set; } = true;
}
