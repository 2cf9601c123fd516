namespace Ingest.Connectors.Http;

/// <summary>
/// Reads each answer's body to the end inside the attempt that asked for it, so the attempt's timeout bounds the body
/// too (an upstream that sends its headers and then stalls times the attempt out, and the retry asks again), and stops
/// an answer larger than <paramref name="maxBytes"/> before it fills the host's memory.
/// </summary>
/// <remarks>Sits inside the resilience pipeline (added after it), so each attempt buffers its own answer.</remarks>
public sealed class BufferedBodyHandler(long maxBytes) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            if (response.Content.Headers.ContentLength > maxBytes)
            {
                throw new PageTooLargeException(request, maxBytes, response.Content.Headers.ContentLength);
            }

            await response.Content.LoadIntoBufferAsync(maxBytes, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch (HttpRequestException e) when (e.InnerException is null && e.Message.Contains("buffer", StringComparison.OrdinalIgnoreCase))
        {
            response.Dispose();
            throw new PageTooLargeException(request, maxBytes, null);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}

/// <summary>An upstream answer larger than the page budget: the stream fails with this reason, never retried.</summary>
public sealed class PageTooLargeException(HttpRequestMessage request, long maxBytes, long? announced)
    : Exception(announced is { } size
        ? $"{request.Method} {request.RequestUri?.PathAndQuery}: the answer announces {size} bytes, more than the {maxBytes} a page may have"
        : $"{request.Method} {request.RequestUri?.PathAndQuery}: the answer went past the {maxBytes} bytes a page may have");
