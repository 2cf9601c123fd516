using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Ingest.Connectors.Http;
using Ingest.Core.Connectors;
using Microsoft.Extensions.Options;

namespace Ingest.Connectors.Progress.Client;

/// <summary>An answer of the progress system as received: the request, its status and the body bytes.</summary>
public sealed record ProgressAnswer(string Request, int Status, byte[] Body);

/// <summary>
/// One call to the progress system: the raw answer is archived first, then its status decides. There is no
/// envelope: 403 is a refused key and fails the county; 404 goes back to the caller where the contract gives it a
/// meaning (a night without an export); 503 and 500 were already retried by the HTTP pipeline, so what is left of
/// them fails the call.
/// </summary>
public sealed class ProgressClient(IOptions<ProgressOptions> options, TimeProvider clock)
{
    public async Task<ProgressAnswer> GetAsync(StreamScope scope, SequenceCounter sequence, Func<Task<HttpResponseMessage>> send,
        IIngestionContext context, CancellationToken cancellationToken, bool notFoundIsAnAnswer = false)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(context);
        string request;
        int status;
        string? contentType;
        byte[] body;
        try
        {
            using var response = await send().ConfigureAwait(false);
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            request = response.RequestMessage is { } m ? $"{m.Method} {m.RequestUri?.PathAndQuery}" : scope.Stream;
            status = (int)response.StatusCode;
            contentType = response.Content.Headers.ContentType?.ToString();
        }
        catch (Exception e) when (Transport.IsFailure(e, cancellationToken))
        {
            throw new ConnectorException($"{scope}: the progress system did not answer ({Transport.Describe(e)}).", e);
        }

        await context.ArchiveAsync(new RawPage(scope.Stream, scope.CountyCode, scope.Period, sequence.Next(), request, status, contentType, body, clock.GetUtcNow()),
            cancellationToken).ConfigureAwait(false);
        return status switch
        {
            >= 200 and <= 299 => new ProgressAnswer(request, status, body),
            404 when notFoundIsAnAnswer => new ProgressAnswer(request, status, body),
            403 => throw new KeyRefusedException($"{scope}: the progress system refused the API key (HTTP 403); check Connectors:Progress:ApiKey."),
            500 or 502 or 503 or 504 => throw new ConnectorException($"{scope}: HTTP {status} from {request}, still after {options.Value.MaxRetries} retries."),
            _ => throw new ConnectorException($"{scope}: HTTP {status} from {request}: {Start(body)}"),
        };
    }

    /// <summary>Reads a JSON answer; one that is not the documented shape fails with the request and where it broke.</summary>
    public static T Parse<T>(StreamScope scope, ProgressAnswer answer, JsonTypeInfo<T> type)
    {
        ArgumentNullException.ThrowIfNull(answer);
        try
        {
            return JsonSerializer.Deserialize(answer.Body, type) ?? throw new ConnectorException($"{scope}: {answer.Request} answered an empty body.");
        }
        catch (JsonException e)
        {
            throw new ConnectorException($"{scope}: {answer.Request} did not answer the documented JSON (line {e.LineNumber}, {e.Path}): {Start(answer.Body)}", e);
        }
    }

    private static string Start(byte[] body) => Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 120)));
}

/// <summary>The system answered 403: the key is wrong or withdrawn, so nothing of the county can be read.</summary>
public sealed class KeyRefusedException(string message) : ConnectorException(message);
