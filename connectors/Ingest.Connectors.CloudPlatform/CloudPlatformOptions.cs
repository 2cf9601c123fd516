using System.ComponentModel.DataAnnotations;
using Ingest.Connectors.Http;

namespace Ingest.Connectors.CloudPlatform;

/// <summary>
/// Settings of the Education Cloud connector, section <c>Connectors:CloudPlatform</c>. Validated at start-up
/// when <see cref="UpstreamOptions.Enabled"/>; every message names its key. Defaults follow the upstream's documented limits.
/// </summary>
public sealed class CloudPlatformOptions : UpstreamOptions
{
    public const string Section = "Connectors:CloudPlatform";

    public CloudPlatformOptions()
    {
        RequestsPerSecond = 20;
        MaxConcurrentRequests = 8;
        AttemptTimeout = TimeSpan.FromSeconds(30); // calls can hang over 60 s at night
        RetryDelay = TimeSpan.FromSeconds(2);
    }

    protected override string SectionName => Section;

    protected override (int RequestsPerSecond, int Concurrent) Ceilings => (20, 64);

    protected override string ThrottleNote => "the platform throttles above 20 per client";

    protected override string BaseUrlExample => "the open API's base URL, e.g. https://cloud.example/";

    /// <summary>OAuth2 client id.</summary>
    [Required(ErrorMessage = "Connectors:CloudPlatform:ClientId is required.")]
    public string? ClientId { get; set; }

    /// <summary>OAuth2 client secret: from the environment (<c>Connectors__CloudPlatform__ClientSecret</c>) or user secrets, never a committed file.</summary>
    [Required(ErrorMessage = "Connectors:CloudPlatform:ClientSecret is required: set the environment variable Connectors__CloudPlatform__ClientSecret or a user secret, never appsettings.json.")]
    public string? ClientSecret { get; set; }

    /// <summary>The experience above which an opened teacher space counts as active, unless configured.</summary>
    public const int DefaultSpaceActiveExperience = 60;

    /// <summary>
    /// A teacher's space counts as active (教师空间活跃率, county A2.2) when opened and its experience is above this. The
    /// standard names no figure; 60 is borrowed from another region's guide, so the department may set its own.
    /// </summary>
    [Range(0, 100000, ErrorMessage = "Connectors:CloudPlatform:SpaceActiveExperience must be between 0 and 100000.")]
    public decimal SpaceActiveExperience { get; set; } = DefaultSpaceActiveExperience;

    /// <summary>Rows per page of page-style listings (the API allows at most 500).</summary>
    [Range(1, 500, ErrorMessage = "Connectors:CloudPlatform:PageSize must be between 1 and 500 (the API's maximum).")]
    public int PageSize { get; set; } = 500;

    /// <summary>Rows per page of cursor-style listings (the API allows at most 1000).</summary>
    [Range(1, 1000, ErrorMessage = "Connectors:CloudPlatform:CursorLimit must be between 1 and 1000 (the API's maximum).")]
    public int CursorLimit { get; set; } = 1000;

    /// <summary>Retries of an envelope code 50000 (internal error, "retry later").</summary>
    [Range(0, 10, ErrorMessage = "Connectors:CloudPlatform:InternalErrorRetries must be between 0 and 10.")]
    public int InternalErrorRetries { get; set; } = 3;

    /// <summary>Restarts of a stream whose cursor expired (40401) before the county is failed.</summary>
    [Range(0, 10, ErrorMessage = "Connectors:CloudPlatform:CursorRestarts must be between 0 and 10.")]
    public int CursorRestarts { get; set; } = 3;
}
