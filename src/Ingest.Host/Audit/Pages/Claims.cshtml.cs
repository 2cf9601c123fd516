using Ingest.Application.Claims;
using Ingest.Application.People;
using Ingest.Application.UseCases;
using Ingest.Core.Periods;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Audit.Pages;

/// <summary>
/// The claims of a county: the discrepancy report (schools by excess, each flagged claim with the data and the online
/// figure behind it, levels in doubt) for auditors, the department and the bureau; and the import form for the bureau
/// (its county's schools) and a school (itself), whose refused rows are listed beside it.
/// </summary>
[Allow(Roles.Department, Roles.Bureau, Roles.School, Roles.Auditor, Org = OrgFrom.Route, Key = "county")]
public sealed class ClaimsModel(ClaimsReportService reports, ClaimsService claims) : PageModel
{
    [FromRoute]
    public string Cycle { get; set; } = string.Empty;

    [FromRoute]
    public string County { get; set; } = string.Empty;

    public CountyClaimsReport? Report { get; private set; }

    /// <summary>Why the file was not imported, every wrong row named.</summary>
    public Refusal? Refused { get; private set; }

    public string? Notice { get; private set; }

    public bool MayImport { get; private set; }

    /// <summary>The report as it stood at a time (?asOf=, Beijing time unless an offset is given).</summary>
    [FromQuery]
    public string? AsOf { get; set; }

    /// <summary>The report as it stood at the end of a run (?run=).</summary>
    [FromQuery]
    public string? Run { get; set; }

    /// <summary>Why the asked moment could not be used; the report then stands at now.</summary>
    public string? MomentError { get; private set; }

    /// <summary>The query naming the moment, for the downloads: empty for now.</summary>
    public string MomentQuery => Report?.Basis is { AsOfRun: { } run } ? $"&run={run}"
        : Report?.Basis.AsOf is { } at ? "&asOf=" + Uri.EscapeDataString(at.ToString("O", System.Globalization.CultureInfo.InvariantCulture)) : string.Empty;

    public async Task<IActionResult> OnGetAsync(string? imported, CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } refused)
        {
            return refused;
        }

        Notice = imported is null ? null : $"已导入 {imported}";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } refused)
        {
            return refused;
        }

        if (!MayImport)
        {
            return Forbid();
        }

        if (file is null)
        {
            Refused = Refusal.Invalid("自评文件未导入", "请选择要导入的自评文件（CSV 或 xlsx）", [new FieldError("file", "请选择要导入的自评文件（CSV 或 xlsx）")], "（未选择文件）");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var outcome = await claims.ImportAsync(HttpCaller.Of(HttpContext), buffer.ToArray(), file.FileName, EvaluationCycle.Parse(Cycle), ct);
        if (outcome.Refusal is { } refusal)
        {
            if (refusal.Kind == RefusalKind.Forbidden)
            {
                return Forbid();
            }

            Refused = refusal;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        return Redirect($"/audit/claims/{Cycle}/{County}?imported={Uri.EscapeDataString(file.FileName)}");
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        var caller = HttpCaller.Of(HttpContext);
        EvaluationCycle cycle;
        try
        {
            cycle = EvaluationCycle.Parse(Cycle);
        }
        catch (FormatException)
        {
            return NotFound();
        }

        var moment = ReportMoment.Parse(AsOf, Run);
        if (moment is null)
        {
            MomentError = "“截至时间”须为时间（例如 2026-11-30 08:00，北京时间），“截至采集批次”须为批次编号，两者只能填一个";
        }

        var report = await reports.CountyAsync(caller, County, cycle, moment ?? ReportMoment.Now, ct);
        if (report.Refusal is { Kind: RefusalKind.Invalid } badMoment)
        {
            // A moment that names no finished run: the report at now, and why.
            MomentError = badMoment.Message;
            report = await reports.CountyAsync(caller, County, cycle, ReportMoment.Now, ct);
        }

        if (report.Refusal is { } refusal)
        {
            return refusal.Kind == RefusalKind.Forbidden ? Forbid() : NotFound();
        }

        MayImport = caller.Role is Roles.School or Roles.Bureau;
        Report = report.Value;
        return null;
    }
}
