using System.Globalization;
using Ingest.Application.People;
using Ingest.Application.UseCases;
using Ingest.Core.Organisations;
using Ingest.Data.Organisations;
using Ingest.Documents.Uploads;

namespace Ingest.Application.Year;

/// <summary>
/// The cultivation roster of a year (第六–九条): read by the department, auditors and bureaus within their scope; kept
/// by the department, from a file (all or nothing) or one school at a time. Every change is audited.
/// </summary>
public sealed class RosterService(RosterStore store, OrganisationStore organisations, AccessRules access)
{
    public const string School = "学校标识码";
    public const string SchoolName = "学校名称";
    public const string Kind = "类别";
    public const string ApprovalDoc = "批复文号";
    public const string ApprovalDate = "批复日期";

    /// <summary>The columns of a roster file, in order.</summary>
    public static readonly IReadOnlyList<string> Columns = [School, SchoolName, Kind, ApprovalDoc, ApprovalDate];

    /// <summary>A roster file: its five columns and as many again a person may add (ignored); 10,000 schools at most.</summary>
    public static readonly UploadTable File = new(Columns, [School, Kind], new UploadLimits { MaxColumns = 10, MaxRows = 10_001 }, "培育名单", "请按县（区）分开导入");

    /// <summary>A kind as people write it: 自治区培育对象, 县级培育学校, 厅直属.</summary>
    public static string KindText(RosterKind kind) => kind switch
    {
        RosterKind.Region => "自治区培育对象",
        RosterKind.County => "县级培育学校",
        _ => "厅直属",
    };

    /// <summary>A kind as typed (its words, or region/county/direct); null when not one.</summary>
    public static RosterKind? ParseKind(string? text) => text?.Trim() switch
    {
        "自治区培育对象" or "培育对象" or "region" => RosterKind.Region,
        "县级培育学校" or "县级培育" or "county" => RosterKind.County,
        "厅直属" or "厅直属学校" or "direct" => RosterKind.Direct,
        _ => null,
    };

    /// <summary>The roster of <paramref name="year"/>: the whole region for a region-wide caller, else the caller's county.</summary>
    public async Task<Outcome<IReadOnlyList<RosterEntry>>> ListAsync(Caller caller, int year, string? county, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var (scope, refusal) = await access.ProgrammeScopeAsync(caller, county, ct);
        if (refusal is not null)
        {
            return Refusal.Forbidden(refusal.Replace("项目报告", "培育名单", StringComparison.Ordinal));
        }

        return Outcome.Done(await store.ListAsync(year, scope, ct));
    }

    /// <summary>
    /// Imports a roster file for <paramref name="year"/>: every row checked (a school in the directory, a kind, a date),
    /// then, all or none, each county the file names gets exactly the schools it lists; the other counties keep theirs.
    /// </summary>
    public async Task<Outcome<RosterImport>> ImportAsync(Caller caller, int year, byte[] bytes, string fileName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        fileName = Ingest.Core.Text.FileNames.OfUpload(fileName, "培育名单.csv");
        if (Refused(caller) is { } no)
        {
            return no;
        }

        if (YearProblem(year) is { } bad)
        {
            return Refusal.Invalid("培育名单未导入", "year", bad);
        }

        IReadOnlyList<UploadRow> rows;
        try
        {
            rows = File.Read(bytes, fileName);
        }
        catch (UploadTableException e)
        {
            return Refusal.Invalid("培育名单未导入", $"{e.File}：{string.Join("；", e.Errors)}", e.Errors.Select(x => new FieldError(e.File, x)).ToArray(), e.File);
        }

        var errors = new List<string>();
        var entries = new List<RosterEntry>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var at = $"第 {row.Line} 行";
            var code = row[School];
            var kind = ParseKind(row[Kind]);
            if (code is null)
            {
                errors.Add($"{at}：缺少{School}");
                continue;
            }

            if (seen.TryGetValue(code, out var first))
            {
                errors.Add($"{at}：{code} 已在第 {first} 行");
                continue;
            }

            seen[code] = row.Line;
            var (entry, problem) = await EntryAsync(year, code, kind, row[Kind], row[ApprovalDoc], row[ApprovalDate], caller, ct);
            if (problem is not null)
            {
                errors.Add($"{at}：{problem}");
            }
            else if (row[SchoolName] is { } name && name != entry!.SchoolName)
            {
                errors.Add($"{at}：{code} 在机构目录中是“{entry.SchoolName}”，不是“{name}”");
            }
            else
            {
                entries.Add(entry!);
            }
        }

        if (errors.Count == 0 && entries.Count == 0)
        {
            errors.Add("文件中没有学校：第一行为列名，其后每行一所学校");
        }

        if (errors.Count > 0)
        {
            return Refusal.Invalid("培育名单未导入", $"{fileName}：{errors.Count} 处错误，未导入任何内容", errors.Select(e => new FieldError(fileName, e)).ToArray(), fileName);
        }

        var (added, removed) = await store.ReplaceCountiesAsync(year, entries, fileName, caller.Actor, ct);
        return new RosterImport(fileName, year, entries.Select(e => e.CountyCode).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
            entries.Count, added, removed);
    }

    /// <summary>Puts one school on the roster of <paramref name="year"/> (or changes its kind or 批复).</summary>
    public async Task<Outcome<RosterEntry>> SetAsync(Caller caller, int year, string schoolCode, string? kind, string? approvalDoc, string? approvalDate, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (Refused(caller) is { } no)
        {
            return no;
        }

        if (YearProblem(year) is { } bad)
        {
            return Refusal.Invalid("培育名单未保存", "year", bad);
        }

        var (entry, problem) = await EntryAsync(year, schoolCode.Trim(), ParseKind(kind), kind, approvalDoc, approvalDate, caller, ct);
        if (problem is not null)
        {
            return Refusal.Invalid("培育名单未保存", "school", problem);
        }

        await store.SetAsync(entry!, caller.Actor, ct);
        return entry!;
    }

    /// <summary>Takes a school off the roster of <paramref name="year"/>.</summary>
    public async Task<Outcome<Done>> RemoveAsync(Caller caller, int year, string schoolCode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (Refused(caller) is { } no)
        {
            return no;
        }

        return await store.DeleteAsync(year, schoolCode, caller.Actor, ct) ? Done.Value
            : Refusal.NotFound("培育名单未修改", $"{schoolCode} 不在 {year} 年度的培育名单上");
    }

    private static Refusal? Refused(Caller caller) =>
        caller.IsCommandLine || caller.Role == Roles.Department ? null : Refusal.Forbidden($"{caller.Describe()}不能修改培育名单：培育名单由教育厅确定（第六条）");

    private static string? YearProblem(int year) => year is >= 2000 and <= 2100 ? null : $"年度 {year.ToString(CultureInfo.InvariantCulture)} 不是有效的年份";

    private async Task<(RosterEntry? Entry, string? Problem)> EntryAsync(int year, string code, RosterKind? kind, string? kindText, string? doc, string? date,
        Caller caller, CancellationToken ct)
    {
        if (kind is not { } k)
        {
            return (null, $"{Kind}“{kindText}”无法识别：应为 自治区培育对象、县级培育学校 或 厅直属");
        }

        var school = await organisations.FindAsync(code, ct);
        if (school is not { Level: OrgLevel.School })
        {
            return (null, school is null ? $"机构目录中没有 {code}：请先采集其所在县（区）的数据" : $"{code}（{school.Name}）不是学校");
        }

        DateOnly? approved = null;
        if (!string.IsNullOrWhiteSpace(date))
        {
            if (!DateOnly.TryParseExact(date.Trim(), ["yyyy-MM-dd", "yyyy/M/d", "yyyy-M-d", "yyyy年M月d日"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                return (null, $"{ApprovalDate}“{date.Trim()}”无法识别：应写作 2025-03-10");
            }

            approved = d;
        }

        if (doc is { Length: > 100 })
        {
            return (null, $"{ApprovalDoc}最多 100 个字符");
        }

        var county = k == RosterKind.Direct ? Organisation.RegionCode : school.ParentCode ?? Organisation.RegionCode;
        return (new RosterEntry(year, code, school.Name, county, k, string.IsNullOrWhiteSpace(doc) ? null : doc.Trim(), approved, caller.Name, default), null);
    }
}

/// <summary>What a roster import did: the counties it replaced, the schools it holds, and how many came on and went off.</summary>
public sealed record RosterImport(string FileName, int Year, IReadOnlyList<string> Counties, int Schools, int Added, int Removed);
