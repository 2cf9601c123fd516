using System.Net;
using System.Text.Json;
using Ingest.Connectors.CloudPlatform.Api;
using Ingest.Connectors.Http;
using Ingest.Core.Connectors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ingest.Connectors.CloudPlatform.Client;

/// <summary>
/// The client-credentials token, shared by every read of the process: fetched once, reused until it is
/// about to expire or the platform says it was revoked (40101). The HTTP client is taken from a scope per fetch:
/// a typed client held by a singleton would keep one connection handler for ever and miss DNS changes.
/// </summary>
public sealed class TokenCache(IServiceScopeFactory scopes, IOptions<CloudPlatformOptions> options, TimeProvider clock) : IDisposable
{
    /// <summary>A token is renewed this long before its announced expiry, so no call races the deadline.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile Issued? current;

    /// <summary>The current token, fetching a new one when there is none or it is about to expire.</summary>
    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (Current() is { } valid)
        {
            return valid;
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Current() is { } fetched)
            {
                return fetched;
            }

            var o = options.Value;
            var scope = scopes.CreateAsyncScope();
            await using var scopeDisposal = scope.ConfigureAwait(false);
            var api = scope.ServiceProvider.GetRequiredService<ICloudPlatformApi>();
            HttpResponseMessage response;
            byte[] body;
            try
            {
                response = await api.TokenAsync(
                    new Dictionary<string, string>
                    {
                        ["grant_type"] = "client_credentials",
                        ["client_id"] = o.ClientId!,
                        ["client_secret"] = o.ClientSecret!,
                    },
                    cancellationToken).ConfigureAwait(false);
                body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (Transport.IsFailure(e, cancellationToken))
            {
                throw new ConnectorException(
                    $"The Education Cloud token endpoint did not answer ({Transport.Describe(e)}); check Connectors:CloudPlatform:BaseUrl.", e);
            }

            using var answered = response;
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new ConnectorException(
                    "The Education Cloud refused the client credentials (invalid_client): check Connectors:CloudPlatform:ClientId and ClientSecret.");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new ConnectorException($"The Education Cloud token endpoint answered HTTP {(int)response.StatusCode}.");
            }

            TokenResponse? answer;
            try
            {
                answer = JsonSerializer.Deserialize(body, CloudJsonContext.Default.TokenResponse);
            }
            catch (JsonException e)
            {
                throw new ConnectorException("The Education Cloud token endpoint answered something other than OAuth2 JSON.", e);
            }

            if (string.IsNullOrEmpty(answer?.AccessToken))
            {
                throw new ConnectorException("The Education Cloud token endpoint answered without an access_token.");
            }

            current = new Issued(answer.AccessToken, clock.GetUtcNow() + TimeSpan.FromSeconds(Math.Max(0, answer.ExpiresIn)) - Margin);
            return answer.AccessToken;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Drops <paramref name="revoked"/> (the platform answered 40101 to it); a newer token is kept.</summary>
    public void Invalidate(string revoked)
    {
        var seen = current;
        if (seen?.Token == revoked)
        {
            // Only this token goes: a newer one fetched meanwhile by another read stays.
            Interlocked.CompareExchange(ref current, null, seen);
        }
    }

    public void Dispose() => gate.Dispose();

    private string? Current() => current is { } c && clock.GetUtcNow() < c.ExpiresAt ? c.Token : null;

    private sealed record Issued(string Token, DateTimeOffset ExpiresAt);
}
