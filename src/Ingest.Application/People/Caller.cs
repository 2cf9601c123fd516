using Ingest.Data.Audit;

namespace Ingest.Application.People;

/// <summary>The signed-in person or token behind a request: what the rules and the audit trail need of it.</summary>
public sealed record Caller(string Name, string Login, string Role, string Scope, string? Address)
{
    public Actor Actor => new(Name, Login, Role, Scope, Address);

    /// <summary>教育局（640424）: how messages name the caller.</summary>
    public string Describe() => $"{Roles.Title(Role)}（{Scope}）";
}
