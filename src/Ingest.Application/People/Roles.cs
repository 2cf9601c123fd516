using System.Security.Claims;
using Ingest.Core.Organisations;

namespace Ingest.Application.People;

/// <summary>
/// The five roles. An account, a token or (later) the department's single sign-on supplies the same two claims, role and
/// scope (an organisation code), and every rule of <see cref="AccessRules"/> reads only those.
/// </summary>
public static class Roles
{
    public const string Ops = "ops";
    public const string Department = "department";
    public const string Bureau = "bureau";
    public const string School = "school";
    public const string Auditor = "auditor";

    public static readonly IReadOnlyList<string> All = [Ops, Department, Bureau, School, Auditor];

    /// <summary>运维, 教育厅, 教育局, 学校, 审计.</summary>
    public static string Title(string role) => role switch
    {
        Ops => "运维",
        Department => "教育厅",
        Bureau => "教育局",
        School => "学校",
        Auditor => "审计",
        "cli" => "命令行",
        "system" => "系统",
        _ => role,
    };

    /// <summary>Reads a role as typed: its code (bureau) or its Chinese title (教育局).</summary>
    /// <exception cref="FormatException">Not a role.</exception>
    public static string Parse(string? text)
    {
        var t = text?.Trim() ?? string.Empty;
        return All.FirstOrDefault(r => string.Equals(r, t, StringComparison.OrdinalIgnoreCase) || Title(r) == t)
            ?? throw new FormatException($"“{text}”不是角色：应为 {string.Join("、", All.Select(r => $"{r}（{Title(r)}）"))}");
    }

    /// <summary>The level of organisation a role's scope names: the region, a county, a school; an auditor the region or a county.</summary>
    public static IReadOnlyList<OrgLevel> ScopeLevels(string role) => role switch
    {
        Ops or Department => [OrgLevel.Region],
        Bureau => [OrgLevel.County],
        School => [OrgLevel.School],
        _ => [OrgLevel.Region, OrgLevel.County],
    };
}

/// <summary>The claims the service reads. Role and name use the standard claim types so that any scheme can supply them.</summary>
public static class IngestClaims
{
    public const string Role = ClaimTypes.Role;
    public const string Name = ClaimTypes.Name;
    public const string Scope = "ingest:scope";
    public const string Login = "ingest:login";
    public const string AccountId = "ingest:account";
    public const string SecurityStamp = "ingest:stamp";
    public const string TokenId = "ingest:token";

    /// <summary>The server-side session a browser's cookie belongs to: signing out ends it for every copy of the cookie.</summary>
    public const string SessionId = "ingest:session";

    public static ClaimsIdentity Identity(string scheme, string name, string login, string role, string scope, params Claim[] extra) =>
        new([new Claim(Name, name), new Claim(Login, login), new Claim(Role, role), new Claim(Scope, scope), .. extra], scheme, Name, Role);
}
