using Ingest.Application.People;
using Ingest.Application.UseCases;
using Ingest.Application.Year;
using Ingest.Data.Organisations;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Year.Pages;

/// <summary>
/// 培育名单: the cultivation roster of a year, county by county. The department keeps it (a file, or a school at a time);
/// a bureau or an auditor reads the part within its scope.
/// </summary>
[Allow(Roles.Department, Roles.Bureau, Roles.Auditor, Org = OrgFrom.Query, Key = "county")]
public sealed class RosterModel(RosterService roster, OrganisationStore organisations) : PageModel
{
    [FromRoute]
    public int Year { get; set; }

    [FromQuery]
    public string? County { get; set; }

    public IReadOnlyList<RosterEntry> Entries { get; private set; } = [];

    public IReadOnlyDictionary<string, string> CountyNames { get; private set; } = new Dictionary<string, string>();

    /// <summary>Whether the caller keeps the roster (the department).</summary>
    public bool Keeps => HttpCaller.Of(HttpContext).Role == Roles.Department;

    public string? Notice { get; private set; }

    public Refusal? Refused { get; private set; }

    /// <summary>What was typed in the add form, kept when it is refused.</summary>
    public Dictionary<string, string?> Typed { get; } = new(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync(string? saved, int? schools, int? added, int? removed, CancellationToken ct)
    {
        Notice = saved switch
        {
            "import" => $"培育名单已导入：{schools ?? 0} 所学校，新增 {added ?? 0} 所，移出 {removed ?? 0} 所",
            "set" => "已保存",
            "remove" => "已移出培育名单",
            _ => null,
        };
        return await LoadAsync(ct) ?? Page();
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken ct)
    {
        if (!Keeps)
        {
            return Forbid();
        }

        if (file is null)
        {
            return await AgainAsync(Refusal.Invalid("培育名单未导入", "file", "请选择培育名单文件（.csv 或 .xlsx）"), ct);
        }

        var buffer = new MemoryStream();
        await using (var stream = file.OpenReadStream())
        {
            await stream.CopyToAsync(buffer, ct);
        }

        var outcome = await roster.ImportAsync(HttpCaller.Of(HttpContext), Year, buffer.ToArray(), file.FileName, ct);
        return outcome.Refusal is { } no ? await AgainAsync(no, ct)
            : Redirect($"/roster/{Year}?saved=import&schools={outcome.Value.Schools}&added={outcome.Value.Added}&removed={outcome.Value.Removed}");
    }

    public async Task<IActionResult> OnPostSetAsync(string? school, string? kind, string? approvalDoc, string? approvalDate, CancellationToken ct)
    {
        if (!Keeps)
        {
            return Forbid();
        }

        Typed["school"] = school;
        Typed["kind"] = kind;
        Typed["approvalDoc"] = approvalDoc;
        Typed["approvalDate"] = approvalDate;
        var outcome = await roster.SetAsync(HttpCaller.Of(HttpContext), Year, school ?? string.Empty, kind, approvalDoc, approvalDate, ct);
        return outcome.Refusal is { } no ? await AgainAsync(no, ct) : Redirect($"/roster/{Year}?saved=set");
    }

    public async Task<IActionResult> OnPostRemoveAsync(string? school, CancellationToken ct)
    {
        if (!Keeps)
        {
            return Forbid();
        }

        var outcome = await roster.RemoveAsync(HttpCaller.Of(HttpContext), Year, school ?? string.Empty, ct);
        return outcome.Refusal is { } no ? await AgainAsync(no, ct) : Redirect($"/roster/{Year}?saved=remove");
    }

    private async Task<IActionResult> AgainAsync(Refusal refusal, CancellationToken ct)
    {
        if (refusal.Kind == RefusalKind.Forbidden)
        {
            return Forbid();
        }

        Refused = refusal;
        Response.StatusCode = refusal.Kind == RefusalKind.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
        return await LoadAsync(ct) ?? Page();
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        var list = await roster.ListAsync(HttpCaller.Of(HttpContext), Year, County, ct);
        if (list.Refusal is not null)
        {
            return Forbid();
        }

        Entries = list.Value;
        CountyNames = (await organisations.ListCountiesAsync(ct)).ToDictionary(c => c.Code, c => c.Name, StringComparer.Ordinal);
        return null;
    }
}
