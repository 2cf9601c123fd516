using System.Globalization;
using Ingest.Application.Evidence;
using Ingest.Application.People;
using Ingest.Application.Remediation;
using Ingest.Application.UseCases;
using Ingest.Core.Periods;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Ingest.Host.Web;
using Microsoft.Extensions.Options;

namespace Ingest.Host.Scoring.Pages;

/// <summary>
/// A school's 整改: its gap plan on the bureau's column (what stands between it and its target level, line by line), and
/// its 整改 items. The bureau sets lines as items with a deadline and verifies or returns the school's answers; the school
/// answers with a note and/or a file. Every action goes through <see cref="RemediationService"/>, as the API's do.
/// </summary>
[Allow(Roles.Department, Roles.Bureau, Roles.School, Roles.Auditor, Org = OrgFrom.Route, Key = "org")]
public sealed class RemediationModel(RemediationService service, IOptionsMonitor<EvidenceFileOptions> files) : CyclePage
{
    [FromRoute]
    public string Org { get; set; } = string.Empty;

    public SchoolRemediation View { get; private set; } = null!;

    /// <summary>The deadline the form offers: a month from today.</summary>
    public string DefaultDeadline => View.Today.AddMonths(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public Task<IActionResult> OnPostCreateAsync(string? target, string? problem, string? deadline, CancellationToken ct) =>
        ActAsync(true, async (caller, cycle) =>
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
            return done.IsDone ? $"已设立整改项：指标 {Ingest.Scoring.Rubrics.PrintedItems.Number(done.Value.Target)}，{Day(done.Value.Deadline)} 前完成" : done.Refusal!;
        }, ct);

    public Task<IActionResult> OnPostSubmitAsync(long id, string? note, IFormFile? file, CancellationToken ct) =>
        ActAsync(true, async (caller, cycle) =>
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
        ActAsync(true, async (caller, cycle) =>
        {
            var accept = verdict != "return";
            var done = await service.VerifyAsync(caller, Org, cycle, id, accept, note, ct);
            return done.IsDone ? $"指标 {Ingest.Scoring.Rubrics.PrintedItems.Number(done.Value.Target)} 的整改{(accept ? "已核实" : "已退回")}" : done.Refusal!;
        }, ct);

    protected override async Task<Refusal?> ShowAsync(Caller caller, EvaluationCycle cycle, CancellationToken ct)
    {
        var view = await service.SchoolAsync(caller, Org, cycle, ct);
        View = view.IsDone ? view.Value : View;
        return view.Refusal;
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
