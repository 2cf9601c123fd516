using Ingest.Core.Organisations;
using Ingest.Data.Audit;

namespace Ingest.Application.People;

/// <summary>The signed-in person or token behind a request: what the rules and the audit trail need of it.</summary>
public sealed record Caller(string Name, string Login, string Role, string Scope, string? Address)
{
    /// <summary>The role of someone at the command line (<see cref="CommandLine"/>).</summary>
    public const string CommandLineRole = "cli";

    public Actor Actor => IsCommandLine ? Actor.CommandLine(Name) : new(Name, Login, Role, Scope, Address);

    /// <summary>Whether the caller is at the command line: it talks to the database directly, so every rule trusts it as the department is.</summary>
    public bool IsCommandLine => Role == CommandLineRole;

    /// <summary>教育局（640424）: how messages name the caller.</summary>
    public string Describe() => $"{Roles.Title(Role)}（{Scope}）";

    /// <summary>Someone at the command line, signing with <paramref name="name"/>: the whole region, and any column it names.</summary>
    public static Caller CommandLine(string name) =>
        new(name.Trim(), Environment.UserName, CommandLineRole, Organisation.RegionCode, $"命令行 {Environment.UserName}@{Environment.MachineName}");
}
