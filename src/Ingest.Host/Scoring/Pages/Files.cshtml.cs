using Ingest.Application.Evidence;
using Ingest.Application.People;
using Ingest.Application.UseCases;
using Ingest.Core.Periods;
using Ingest.Host.People;
using Ingest.Host.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Ingest.Host.Scoring.Pages;

/// <summary>
/// The 佐证材料 of one line of a sheet: every file with who uploaded it and when (images shown, PDFs opened, Word and
/// Excel files saved), what was replaced or removed and why; the school and its bureau upload, replace and remove here
/// until the sheet is 备案. Every action goes through <see cref="EvidenceFileService"/>, as the API's do.
/// </summary>
[Allow(Roles.Department, Roles.Bureau, Roles.School, Roles.Auditor, Org = OrgFrom.Route, Key = "org")]
[RequestFormLimits(MultipartBodyLengthLimit = 1024L * 1024 * 1024)]
public sealed class FilesModel(EvidenceFileService service, IOptionsMonitor<EvidenceFileOptions> options) : CyclePage
{
    [FromRoute]
    public string Org { get; set; } = string.Empty;

    [FromRoute]
    public string Item { get; set; } = string.Empty;

    public EvidenceLineView View { get; private set; } = null!;

    /// <summary>The most bytes a file may have, as the form says it.</summary>
    public string MaxFile => Ingest.Core.Evidence.EvidenceFile.SizeText(options.CurrentValue.MaxFileBytes);

    public Task<IActionResult> OnPostUploadAsync(IFormFile? file, long? replaces, CancellationToken ct) =>
        ActAsync(true, async (caller, cycle) =>
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
        ActAsync(true, async (caller, cycle) =>
        {
            var outcome = await service.RemoveAsync(caller, Org, cycle, id, why, ct);
            return outcome.IsDone ? $"{outcome.Value.FileName} 已删除" : outcome.Refusal!;
        }, ct);

    protected override async Task<Refusal?> ShowAsync(Caller caller, EvaluationCycle cycle, CancellationToken ct)
    {
        var line = await service.LineAsync(caller, Org, cycle, Item, ct);
        View = line.IsDone ? line.Value : View;
        return line.Refusal;
    }

    /// <summary>Where a file is opened: the API's route, which the browser's session reaches as the page does.</summary>
    public string FileUrl(Ingest.Core.Evidence.EvidenceFile file) => $"/api/scoresheets/{Cycle}/{Org}/files/{file?.Id}";
}
