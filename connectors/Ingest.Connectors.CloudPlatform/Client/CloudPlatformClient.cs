using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Ingest.Connectors.CloudPlatform.Api;
using Ingest.Connectors.Http;
using Ingest.Core.Connectors;
using Microsoft.Extensions.Options;

namespace Ingest.Connectors.CloudPlatform.Client;

/// <summary>The cursor of a cursor-style stream expired (40401): the stream must be read again from its beginning.</summary>
public sealed class CursorExpiredException(string message) : Exception(message);

/// <summary>
/// One call to the open API with the envelope rules of the contract: the raw answer is archived first, then
/// <c>code</c> decides. 40101 fetches a new token and repeats the call once; 50000 is retried after a pause;
/// 40001 and 40301 fail at once; 40401 is raised for the stream reader to restart. Transport faults (429, 5xx,
/// timeouts) were already retried by the HTTP resilience pipeline; what is left of them fails the call.
/// </summary>
public sealed class CloudPlatformClient(TokenCache tokens, IOptions<CloudPlatformOptions> options, TimeProvider clock)
{
    /// <summary>Sends one call and returns the envelope's data.</summary>
    /// <param name="scope">Stream, county and period, for the archive and messages.</param>
    /// <param name="sequence">Counter of answers in this stream read, advanced for every answer archived.</param>
    /// <param name="send">Sends the call with the given <c>Authorization</c> header value.</param>
    /// <param name="type">The envelope's JSON type.</param>
    public async Task<T> SendAsync<T>(StreamScope scope, SequenceCounter sequence, Func<string, Task<HttpResponseMessage>> send,
        JsonTypeInfo<Envelope<T>> type, IIngestionContext context, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(context);
        var renewedToken = false;
        var internalErrors = 0;
        while (true)
        {
            var token = await tokens.GetAsync(cancellationToken).ConfigureAwait(false);
            var (request, status, contentType, body) = await ReceiveAsync(scope, () => send("Bearer " + token), cancellationToken).ConfigureAwait(false);
            await context.ArchiveAsync(
                new RawPage(scope.Stream, scope.CountyCode, scope.Period, sequence.Next(), request, status, contentType, body, clock.GetUtcNow()),
                cancellationToken).ConfigureAwait(false);
            if (status is < 200 or > 299)
            {
                throw new ConnectorException($"{scope}: HTTP {status} from {request} after {options.Value.MaxRetries} retries.");
            }

            var envelope = Parse(scope, request, body, type);
            if (envelope.Code != 0)
            {
                UpstreamMetrics.Error(CloudPlatformConnector.ConnectorName, envelope.Code.ToString(CultureInfo.InvariantCulture));
            }

            switch (envelope.Code)
            {
                case 0 when envelope.Data is { } data:
                    return data;
                case 0:
                    throw new ConnectorException($"{scope}: {request} answered code 0 without data.");
                case 40101 when !renewedToken:
                    tokens.Invalidate(token);
                    renewedToken = true;
                    continue;
                case 40101:
                    throw new ConnectorException($"{scope}: the token was refused again (40101) right after it was renewed.");
                case 40401:
                    throw new CursorExpiredException($"{scope}: cursor expired (40401).");
                case 40301:
                    throw new ConnectorException($"county {scope.CountyCode}: this client may not read it (40301: {envelope.Message}).");
                case 40001:
                    throw new ConnectorException($"{scope}: bad parameter (40001: {envelope.Message}) in {request}.");
                case 50000 when internalErrors < options.Value.InternalErrorRetries:
                    internalErrors++;
                    await Task.Delay(Backoff(internalErrors), clock, cancellationToken).ConfigureAwait(false);
                    continue;
                default:
                    throw new ConnectorException(
                        $"{scope}: {request} answered code {envelope.Code} ({envelope.Message})" + (envelope.Code == 50000 ? $" after {internalErrors} retries." : "."));
            }
        }
    }

    private TimeSpan Backoff(int attempt) => options.Value.RetryDelay * Math.Pow(2, attempt - 1);

    private static async Task<(string Request, int Status, string? ContentType, byte[] Body)> ReceiveAsync(
        StreamScope scope, Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await send().ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var request = response.RequestMessage is { } m ? $"{m.Method} {m.RequestUri?.PathAndQuery}" : scope.Stream;
            return (request, (int)response.StatusCode, ContentTypeOf(response.Content.Headers.ContentType), body);
        }
        catch (Exception e) when (Transport.IsFailure(e, cancellationToken))
        {
            throw new ConnectorException($"{scope}: the Education Cloud did not answer ({Transport.Describe(e)}).", e);
        }
    }

    private static string? ContentTypeOf(MediaTypeHeaderValue? header) => header?.ToString();

    private static Envelope<T> Parse<T>(StreamScope scope, string request, byte[] body, JsonTypeInfo<Envelope<T>> type)
    {
        try
        {
            return JsonSerializer.Deserialize(body, type)
                ?? throw new ConnectorException($"{scope}: {request} answered an empty body.");
        }
        catch (JsonException e)
        {
            var start = Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 80)));
            throw new ConnectorException($"{scope}: {request} did not answer the documented JSON envelope (line {e.LineNumber}, {e.Path}): {start}", e);
        }
    }
}
