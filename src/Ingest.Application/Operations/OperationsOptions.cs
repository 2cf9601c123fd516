using System.ComponentModel.DataAnnotations;

namespace Ingest.Application.Operations;

/// <summary>Settings of the operations pages (<c>Ingest:Operations</c>).</summary>
public sealed class OperationsOptions
{
    public const string Section = "Ingest:Operations";

    /// <summary>A connector's data of a county is marked stale when its last success is older than this. Default 36 hours: one missed night.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "30.00:00:00")]
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromHours(36);

    /// <summary>
    /// Called (POST, JSON) once when a run ends with failed or interrupted units or with stale data: an alerting or chat
    /// system's incoming webhook. None by default.
    /// </summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>How long the webhook call may take. Default 10 seconds; a failed call is logged, never retried into the run.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
