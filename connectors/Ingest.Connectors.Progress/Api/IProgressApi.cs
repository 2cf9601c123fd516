using Refit;

namespace Ingest.Connectors.Progress.Api;

/// <summary>
/// The 教育信息化工作进展系统 API v2 (<c>docs/upstreams/progress-system.md</c>). Every method returns the raw answer: the
/// client archives the bytes as received (a GB18030 CSV stays GB18030) before it reads them. The API key is added
/// by <see cref="ApiKeyHandler"/>, so it never appears in a signature or a log line.
/// </summary>
public interface IProgressApi
{
    /// <summary>The county's online interactive classrooms: a plain JSON array, the whole county at once.</summary>
    [Get("/progress/v2/classrooms")]
    Task<HttpResponseMessage> ClassroomsAsync(string county, CancellationToken cancellationToken);

    /// <summary>"三个课堂" sessions between two dates (both included), pages from 0, <c>size</c> at most 1000.</summary>
    [Get("/progress/v2/sessions")]
    Task<HttpResponseMessage> SessionsAsync(string county, [AliasAs("from")] string first, [AliasAs("to")] string last, int page, int size, CancellationToken cancellationToken);

    /// <summary>The nightly infrastructure export of one night (GB18030 CSV); 404 when that night has none.</summary>
    [Get("/progress/v2/export/school-infrastructure.csv")]
    Task<HttpResponseMessage> InfrastructureExportAsync(string county, [AliasAs("date")] string night, CancellationToken cancellationToken);
}

/// <summary>Adds <c>X-Api-Key</c> to every request of the progress client.</summary>
public sealed class ApiKeyHandler(Microsoft.Extensions.Options.IOptions<ProgressOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Remove("X-Api-Key");
        request.Headers.TryAddWithoutValidation("X-Api-Key", options.Value.ApiKey);
        return base.SendAsync(request, cancellationToken);
    }
}
