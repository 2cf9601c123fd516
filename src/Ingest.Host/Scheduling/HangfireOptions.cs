using System.ComponentModel.DataAnnotations;

namespace Ingest.Host.Scheduling;

/// <summary>Hangfire settings (section <c>Ingest:Hangfire</c>).</summary>
public sealed class HangfireOptions
{
    public const string Section = "Ingest:Hangfire";

    /// <summary>PostgreSQL schema of Hangfire's own tables. Default <c>hangfire</c>.</summary>
    [Required(ErrorMessage = "必须设置 Ingest:Hangfire:Schema")]
    [RegularExpression("^[a-z_][a-z0-9_]*$", ErrorMessage = "Ingest:Hangfire:Schema 应为小写字母、数字和下划线组成的名称，以字母或下划线开头")]
    public string Schema { get; set; } = "hangfire";

    /// <summary>Workers on this host. Default 4; each runs one county unit at a time.</summary>
    [Range(1, 64, ErrorMessage = "Ingest:Hangfire:WorkerCount 应在 1 到 64 之间")]
    public int WorkerCount { get; set; } = 4;

    /// <summary>Serve the dashboard at <c>/hangfire</c> (local requests only). Default true.</summary>
    public bool Dashboard { get; set; } = true;

    /// <summary>Seconds an idle worker waits before looking at the queue again. Default 2.</summary>
    [Range(1, 300, ErrorMessage = "Ingest:Hangfire:QueuePollSeconds 应在 1 到 300 之间")]
    public int QueuePollSeconds { get; set; } = 2;

    /// <summary>Run the Hangfire server in this process. Default true; false for an API-only host.</summary>
    public bool Server { get; set; } = true;
}
