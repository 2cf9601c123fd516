using Ingest.Application.Evidence;
using Ingest.Application.People;
using Ingest.Application.UseCases;
using Ingest.Core.Periods;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Ingest.Host.Scoring.Pages;

/// <summary>
/// The 佐证材料 of one line of a sheet: every file with who uploaded it and when (images shown, PDFs opened, Word and
/// Excel files saved), what was replaced or removed and why; the school and its bureau upload, replace and remove here
/// until the sheet is 备案. Every action goes through <see cref="EvidenceFileService"/>, as the API's do.
/// </summary>
[Allow(Roles.Department, Roles.Bureau, Roles.School, Roles.Auditor, Org = OrgFrom.Route, Key = "org")]
[RequestFormLimits(MultipartBodyLengthLimit = 1024L * 1024 * 1024)]
public sealed class FilesModel(EvidenceFileService service, IOptionsMonitor<EvidenceFileOptions> options) : PageModel
{
    [FromRoute]
    public string Cycle { get; set; } = string.Empty;

    [FromRoute]
    public string Org { get; set; } = string.Empty;

    [FromRoute]
    public string Item { get; set; } = string.Empty;

    public EvidenceLineView View { get; private set; } = null!;

    public Refusal? Refused { get; private set; }

    public string? Notice { get; private set; }

    /// <summary>The most bytes a file may have, as the form says it.</summary>
    public string MaxFile => Ingest.Core.Evidence.EvidenceFile.SizeText(options.CurrentValue.MaxFileBytes);

    public async Task<IActionResult> OnGetAsync(string? done, CancellationToken ct)
    {
        Notice = done;
        return await LoadAsync(ct);
    }

    public Task<IActionResult> OnPostUploadAsync(IFormFile? file, long? replaces, CancellationToken ct) =>
        ActAsync(async (caller, cycle) =>
        {
            // Bounded before it is read: the use case says the same of a file it is given whole.
            if (file?.Length > options.CurrentValue.MaxFileBytes)
            {
                return Refusal.Invalid("佐证材料未上传", "file", $"{Ingest.Core.Text.FileNames.OfUpload(file.FileName, "文件")}：有 {Ingest.Core.Evidence.EvidenceFile.SizeText(file.Length)}，超过每个文件 {MaxFile} 的上限");
            }

            var bytes = new byte[file?.Length ?? 0];
            if (file is not null)
            {
                await using var stream = file.OpenReadStream();
                await stream.ReadExactlyAsync(bytes, ct);
            }

            var outcome = await service.UploadAsync(caller, Org, cycle, Item, file?.FileName, bytes, replaces, ct);
            return outcome.IsDone ? $"{outcome.Value.FileName} 已{(replaces is null ? "上传" : "替换")}" : outcome.Refusal!;
        }, ct);

    public Task<IActionResult> OnPostRemoveAsync(long id, string? why, CancellationToken ct) =>
        ActAsync(async (caller, cycle) =>
        {
            var outcome = await service.RemoveAsync(caller, Org, cycle, id, why, ct);
            return outcome.IsDone ? $"{outcome.Value.FileName} 已删除" : outcome.Refusal!;
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

        return RedirectToPage(new { cycle = Cycle, org = Org, item = Item, done = outcome.Value });
    }

    private async Task<IActionResult> LoadAsync(CancellationToken ct)
    {
        if (!EvaluationCycle.TryParse(Cycle, out var cycle))
        {
            return NotFound();
        }

        var line = await service.LineAsync(HttpCaller.Of(HttpContext), Org, cycle, Item, ct);
        if (line.Refusal is { Kind: RefusalKind.Forbidden })
        {
            return Forbid();
        }

        if (line.Refusal is not null)
        {
            return NotFound();
        }

        View = line.Value;
        return Page();
    }

    /// <summary>Where a file is opened: the API's route, which the browser's session reaches as the page does.</summary>
    public string FileUrl(Ingest.Core.Evidence.EvidenceFile file) => $"/api/scoresheets/{Cycle}/{Org}/files/{file?.Id}";
}
