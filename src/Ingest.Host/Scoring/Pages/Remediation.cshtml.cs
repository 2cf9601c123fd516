using System.Globalization;
using Ingest.Application.Evidence;
using Ingest.Application.People;
using Ingest.Application.Remediation;
using Ingest.Application.UseCases;
using Ingest.Core.Periods;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Ingest.Host.Scoring.Pages;

/// <summary>
/// A school's 整改: its gap plan on the bureau's column (what stands between it and its target level, line by line), and
/// its 整改 items. The bureau sets lines as items with a deadline and verifies or returns the school's answers; the school
/// answers with a note and/or a file. Every action goes through <see cref="RemediationService"/>, as the API's do.
/// </summary>
[Allow(Roles.Department, Roles.Bureau, Roles.School, Roles.Auditor, Org = OrgFrom.Route, Key = "org")]
public sealed class RemediationModel(RemediationService service, IOptionsMonitor<EvidenceFileOptions> files) : PageModel
{
    [FromRoute]
    public string Cycle { get; set; } = string.Empty;

    [FromRoute]
    public string Org { get; set; } = string.Empty;

    public SchoolRemediation View { get; private set; } = null!;

    public Refusal? Refused { get; private set; }

    public string? Notice { get; private set; }

    /// <summary>The deadline the form offers: a month from today.</summary>
    public string DefaultDeadline => View.Today.AddMonths(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(string? done, CancellationToken ct)
    {
        Notice = done;
        return await LoadAsync(ct);
    }

    public Task<IActionResult> OnPostCreateAsync(string? target, string? problem, string? deadline, CancellationToken ct) =>
        ActAsync(async (caller, cycle) =>
        {
            DateOnly? due = null;
            if (!string.IsNullOrWhiteSpace(deadline))
            {
                if (!DateOnly.TryParseExact(deadline.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                {
                    return Refusal.Invalid("整改项未设立", "deadline", $"截止日期“{deadline}”应写作 2026-12-31");
                }

                due = parsed;
            }

            var done = await service.CreateAsync(caller, Org, cycle, target, problem, due, ct);
            return done.IsDone ? $"已设立整改项：指标 {Ingest.Scoring.Rubrics.PrintedItems.Number(done.Value.Target)}，{done.Value.Deadline:yyyy-MM-dd} 前完成" : done.Refusal!;
        }, ct);

    public Task<IActionResult> OnPostSubmitAsync(long id, string? note, IFormFile? file, CancellationToken ct) =>
        ActAsync(async (caller, cycle) =>
        {
            if (file?.Length > files.CurrentValue.MaxFileBytes)
            {
                return Refusal.Invalid("整改未提交", "file", $"{Ingest.Core.Text.FileNames.OfUpload(file.FileName, "文件")}：超过每个文件 {Ingest.Core.Evidence.EvidenceFile.SizeText(files.CurrentValue.MaxFileBytes)} 的上限");
            }

            byte[]? bytes = null;
            if (file is { Length: > 0 })
            {
                bytes = new byte[file.Length];
                await using var stream = file.OpenReadStream();
                await stream.ReadExactlyAsync(bytes, ct);
            }

            var done = await service.SubmitAsync(caller, Org, cycle, id, note, bytes, file?.FileName, ct);
            return done.IsDone ? $"指标 {Ingest.Scoring.Rubrics.PrintedItems.Number(done.Value.Target)} 的整改已提交，待教育局核实" : done.Refusal!;
        }, ct);

    public Task<IActionResult> OnPostVerifyAsync(long id, string? verdict, string? note, CancellationToken ct) =>
        ActAsync(async (caller, cycle) =>
        {
            var accept = verdict != "return";
            var done = await service.VerifyAsync(caller, Org, cycle, id, accept, note, ct);
            return done.IsDone ? $"指标 {Ingest.Scoring.Rubrics.PrintedItems.Number(done.Value.Target)} 的整改{(accept ? "已核实" : "已退回")}" : done.Refusal!;
        }, ct);

    private async Task<IActionResult> ActAsync(Func<Caller, EvaluationCycle, Task<Outcome<string>>> act, CancellationToken ct)
    {
        if (!EvaluationCycle.TryParse(Cycle, out var cycle))
        {
            return NotFound();
        }

        var outcome = await act(HttpCaller.Of(HttpContext), cycle);
        if (outcome.Refusal is { Kind: RefusalKind.Forbidden })
        {
            return Forbid();
        }

        if (outcome.Refusal is { } refused)
        {
            Refused = refused;
            var shown = await LoadAsync(ct);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return shown;
        }

        return RedirectToPage(new { cycle = Cycle, org = Org, done = outcome.Value });
    }

    private async Task<IActionResult> LoadAsync(CancellationToken ct)
    {
        if (!EvaluationCycle.TryParse(Cycle, out var cycle))
        {
            return NotFound();
        }

        var view = await service.SchoolAsync(HttpCaller.Of(HttpContext), Org, cycle, ct);
        if (view.Refusal is { Kind: RefusalKind.Forbidden })
        {
            return Forbid();
        }

        if (view.Refusal is not null)
        {
            return NotFound();
        }

        View = view.Value;
        return Page();
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
