using Refit;

namespace Ingest.Connectors.CloudPlatform.Api;

/// <summary>
/// The 宁夏教育云 open API v1 (<c>docs/upstreams/cloud-platform.md</c>). Every method returns the raw answer: the
/// client archives the bytes as received before it reads the envelope, and decides on the envelope's
/// <c>code</c> itself (an error arrives under HTTP 200).
/// </summary>
public interface ICloudPlatformApi
{
    /// <summary>OAuth2 client credentials; the answer is plain OAuth2 JSON without an envelope.</summary>
    [Post("/oauth2/token")]
    Task<HttpResponseMessage> TokenAsync([Body(BodySerializationMethod.UrlEncoded)] IDictionary<string, string> form, CancellationToken cancellationToken);

    /// <summary>Organisations, page style; <c>level=county</c> takes no county code.</summary>
    [Get("/api/v1/orgs")]
    Task<HttpResponseMessage> OrgsAsync([Header("Authorization")] string authorization,
        string level, string? countyCode, int pageNo, int pageSize, CancellationToken cancellationToken);

    /// <summary>Teacher activity over a calendar or school year, cursor style.</summary>
    [Get("/api/v1/stats/teacher-activity")]
    Task<HttpResponseMessage> TeacherActivityAsync([Header("Authorization")] string authorization,
        string countyCode, string period, string cursor, int limit, CancellationToken cancellationToken);

    /// <summary>School content over a period, page style.</summary>
    [Get("/api/v1/stats/school-content")]
    Task<HttpResponseMessage> SchoolContentAsync([Header("Authorization")] string authorization,
        string countyCode, string period, int pageNo, int pageSize, CancellationToken cancellationToken);

    /// <summary>Teacher literacy assessment of a calendar year, page style.</summary>
    [Get("/api/v1/stats/literacy-assessment")]
    Task<HttpResponseMessage> LiteracyAssessmentAsync([Header("Authorization")] string authorization,
        string countyCode, string year, int pageNo, int pageSize, CancellationToken cancellationToken);

    /// <summary>Student learning spaces over a period, page style.</summary>
    [Get("/api/v1/stats/student-space")]
    Task<HttpResponseMessage> StudentSpaceAsync([Header("Authorization")] string authorization,
        string countyCode, string period, int pageNo, int pageSize, CancellationToken cancellationToken);
}
