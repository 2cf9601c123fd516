using Ingest.Application.UseCases;
using Ingest.Core.Organisations;
using Ingest.Core.Sheets;
using Ingest.Data.Organisations;
using Ingest.Scoring.Sheets;

namespace Ingest.Application.People;

/// <summary>What a caller may do with the scoresheets of one organisation: read them, and the one column it writes (if any).</summary>
/// <param name="AnyColumn">The command line: it writes whichever column it names.</param>
public sealed record SheetPermit(string OrgCode, bool Read, Column? Write, string? Refusal, bool AnyColumn = false)
{
    /// <summary>A caller that may write a column may also pre-fill or re-score the sheet; a reader only reads what exists.</summary>
    public bool MayBuild => Write is not null || AnyColumn;

    /// <summary>Whether the caller writes <paramref name="column"/>.</summary>
    public bool Writes(Column column) => AnyColumn || Write == column;
}

/// <summary>
/// The scope rules of the roles table, in one place. Every rule reads the caller's role and scope claims and the
/// organisation directory (a school belongs to the county that is its parent); nothing depends on how the caller
/// signed in.
/// </summary>
public sealed class AccessRules(OrganisationStore organisations)
{
    /// <summary>The column a role writes: 学校自评 for a school, 教育局评定 for a bureau, 教育厅评定 for the department.</summary>
    public static Column? ColumnOf(string role) => role switch
    {
        Roles.School => Column.Self,
        Roles.Bureau => Column.Bureau,
        Roles.Department => Column.Department,
        _ => null,
    };

    /// <summary>What <paramref name="caller"/> may do with the scoresheets (and contact) of <paramref name="orgCode"/>.</summary>
    public async Task<SheetPermit> SheetAsync(Caller caller, string orgCode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsCommandLine)
        {
            return new SheetPermit(orgCode, Read: true, Write: null, Refusal: null, AnyColumn: true);
        }

        var inScope = await InScopeAsync(caller, orgCode, ct);
        var read = caller.Role is Roles.Department or Roles.Bureau or Roles.School or Roles.Auditor && inScope;
        var write = read ? ColumnOf(caller.Role) : null;
        var refusal = read ? null
            : caller.Role is Roles.Ops ? "运维账号管理采集与账号，不查看评分表"
            : $"{caller.Describe()}无权查看 {orgCode} 的评分表：不在本账号的范围内";
        return new SheetPermit(orgCode, read, write, refusal);
    }

    /// <summary>
    /// The column a caller writes on a sheet it holds <paramref name="permit"/> for: the one it names, if it writes that
    /// one (the command line writes any), or else its own. A reader, or a column of another role, is refused with why.
    /// </summary>
    public static Outcome<Column> ColumnFor(Caller caller, SheetPermit permit, Column? named)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(permit);
        if (!permit.Read)
        {
            return Refusal.Forbidden(permit.Refusal!);
        }

        if (named is { } column)
        {
            return permit.Writes(column) ? column
                : Refusal.Forbidden($"{caller.Describe()}只能写入{(permit.Write is { } own ? RaterText.ColumnTitle(own) : "—")}栏，不能写入{RaterText.ColumnTitle(column)}栏");
        }

        return permit.Write is { } mine ? mine : Refusal.Forbidden($"{caller.Describe()}只能查看评分表，不能写入");
    }

    /// <summary>
    /// Whether <paramref name="orgCode"/> lies within the caller's scope: the region holds everything; a county holds
    /// itself and its schools; a school holds itself.
    /// </summary>
    public async Task<bool> InScopeAsync(Caller caller, string orgCode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Scope == Organisation.RegionCode || caller.Scope == orgCode)
        {
            return true;
        }

        if (caller.Role is Roles.School)
        {
            return false;
        }

        var org = await organisations.FindAsync(orgCode, ct);
        return org is { Level: OrgLevel.School } && org.ParentCode == caller.Scope;
    }

    /// <summary>
    /// The county a programme report is for: the one named, or the caller's own when its scope is a county. A school,
    /// or a county outside the scope, is refused with the reason.
    /// </summary>
    public async Task<(string? County, string? Refusal)> ProgrammeScopeAsync(Caller caller, string? county, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var scope = caller.Scope == Organisation.RegionCode ? county : county ?? caller.Scope;
        return caller.Role is Roles.School or Roles.Ops || (scope is not null && !await InScopeAsync(caller, scope, ct))
            ? (scope, $"{caller.Describe()}无权查看{(scope is null ? "全区" : " " + scope + " ")}的项目报告")
            : (scope, null);
    }

    /// <summary>
    /// Why the caller may not read the facts asked for, or null: a region-wide caller reads any; a county's auditor
    /// names an organisation of its county.
    /// </summary>
    public async Task<string?> FactsRefusalAsync(Caller caller, string? org, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Scope == Organisation.RegionCode ? null
            : org is null ? $"{caller.Describe()}只能查看本县（区）及其学校的数据：请指定机构"
            : await InScopeAsync(caller, org, ct) ? null
            : $"{caller.Describe()}无权查看 {org} 的数据：不在本账号的范围内";
    }

    /// <summary>
    /// The county whose runs, units and failures the caller sees, or null for all of them: ops and region-wide auditors
    /// see every county; a county's auditor its own.
    /// </summary>
    public static string? RunCounty(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Role == Roles.Ops || caller.Scope == Organisation.RegionCode ? null : caller.Scope;
    }

    /// <summary>The organisations an auditor or bureau may see, or null for the whole region.</summary>
    public async Task<IReadOnlyCollection<string>?> ScopeOrgsAsync(Caller caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Scope == Organisation.RegionCode)
        {
            return null;
        }

        var schools = await organisations.ListSchoolsAsync(caller.Scope, ct);
        return [caller.Scope, .. schools.Select(s => s.Code)];
    }
}
