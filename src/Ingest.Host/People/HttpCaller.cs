using System.Security.Claims;
using Ingest.Application.People;

namespace Ingest.Host.People;

/// <summary>The <see cref="Caller"/> behind an HTTP request, from the claims its sign-in or token gave it.</summary>
public static class HttpCaller
{
    /// <summary>The caller of an authenticated request.</summary>
    /// <exception cref="InvalidOperationException">The request is not authenticated (the fallback policy lets none through).</exception>
    public static Caller Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var user = http.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            throw new InvalidOperationException("The request is not authenticated.");
        }

        return new Caller(
            user.FindFirstValue(IngestClaims.Name) ?? string.Empty,
            user.FindFirstValue(IngestClaims.Login) ?? string.Empty,
            user.FindFirstValue(IngestClaims.Role) ?? string.Empty,
            user.FindFirstValue(IngestClaims.Scope) ?? string.Empty,
            http.Connection.RemoteIpAddress?.ToString());
    }
}
