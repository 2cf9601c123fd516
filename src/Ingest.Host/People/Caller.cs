using System.Security.Claims;
using Ingest.Data.Audit;

namespace Ingest.Host.People;

/// <summary>The signed-in person or token behind a request: what the rules and the audit trail need of it.</summary>
public sealed record Caller(string Name, string Login, string Role, string Scope, string? Address)
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

    public Actor Actor => new(Name, Login, Role, Scope, Address);

    /// <summary>教育局（640424）: how messages name the caller.</summary>
    public string Describe() => $"{Roles.Title(Role)}（{Scope}）";
}
