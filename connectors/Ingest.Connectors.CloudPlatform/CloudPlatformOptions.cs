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

    protected override string ThrottleNote => "教育云对每个客户端超过每秒 20 次即限流";

    protected override string BaseUrlExample => "教育云开放接口的地址，如 https://cloud.example/";

    /// <summary>OAuth2 client id.</summary>
    [Required(ErrorMessage = "必须设置 Connectors:CloudPlatform:ClientId")]
    public string? ClientId { get; set; }

    /// <summary>OAuth2 client secret: from the environment (<c>Connectors__CloudPlatform__ClientSecret</c>) or user secrets, never a committed file.</summary>
    [Required(ErrorMessage = "必须设置 Connectors:CloudPlatform:ClientSecret：用环境变量 Connectors__CloudPlatform__ClientSecret 或用户机密设置，不要写进 appsettings.json")]
    public string? ClientSecret { get; set; }

    /// <summary>The experience above which an opened teacher space counts as active, unless configured.</summary>
    public const int DefaultSpaceActiveExperience = 60;

    /// <summary>
    /// A teacher's space counts as active (教师空间活跃率, county A2.2) when opened and its experience is above this. The
    /// standard names no figure; 60 is borrowed from another region's guide, so the department may set its own.
    /// </summary>
    [Range(0, 100000, ErrorMessage = "Connectors:CloudPlatform:SpaceActiveExperience 应在 0 到 100000 之间")]
    public decimal SpaceActiveExperience { get; set; } = DefaultSpaceActiveExperience;

    /// <summary>Rows per page of page-style listings (the API allows at most 500).</summary>
    [Range(1, 500, ErrorMessage = "Connectors:CloudPlatform:PageSize 应在 1 到 500 之间（500 是接口允许的最大值）")]
    public int PageSize { get; set; } = 500;

    /// <summary>Rows per page of cursor-style listings (the API allows at most 1000).</summary>
    [Range(1, 1000, ErrorMessage = "Connectors:CloudPlatform:CursorLimit 应在 1 到 1000 之间（1000 是接口允许的最大值）")]
    public int CursorLimit { get; set; } = 1000;

    /// <summary>Retries of an envelope code 50000 (internal error, "retry later").</summary>
    [Range(0, 10, ErrorMessage = "Connectors:CloudPlatform:InternalErrorRetries 应在 0 到 10 之间")]
    public int InternalErrorRetries { get; set; } = 3;

    /// <summary>Restarts of a stream whose cursor expired (40401) before the county is failed.</summary>
    [Range(0, 10, ErrorMessage = "Connectors:CloudPlatform:CursorRestarts 应在 0 到 10 之间")]
    public int CursorRestarts { get; set; } = 3;
}
