using Ingest.Application.Oversight;
using Ingest.Application.People;
using Ingest.Application.UseCases;
using Ingest.Core.Periods;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Audit.Pages;

/// <summary>
/// 实地评估 of a county (seed 004, 一、评估方法): 听取汇报 (the bureau or the department enters or uploads the report), 调阅数据
/// (the department picks the run; the county sheet as it stood then), 实地查看 (schools drawn by 学段), 座谈交流 (notes), and
/// each expert's entries in the county sheet. Auditors read it; the county's bureau reads it and submits its report.
/// </summary>
[Allow(Roles.Department, Roles.Auditor, Roles.Bureau, Org = OrgFrom.Route, Key = "county")]
public sealed class VisitModel(VisitService visits) : CountyCyclePage
{
    /// <summary>The largest report file the page takes (the service checks it again).</summary>
    private const long MaxUpload = Ingest.Documents.Uploads.ReportText.MaxBytes;

    public VisitView View { get; private set; } = null!;

    public bool MayConduct => User.IsInRole(Roles.Department);

    public bool MayReport => User.IsInRole(Roles.Department) || User.IsInRole(Roles.Bureau);

    public Task<IActionResult> OnPostReportAsync(string? text, IFormFile? file, CancellationToken ct) => ActAsync(MayReport, async (caller, cycle) =>
    {
        if (file is { Length: > MaxUpload })
        {
            return Refusal.Invalid("汇报未保存", "file", $"{file.FileName}：文件超过 {MaxUpload / 1024 / 1024} MB 的上限");
        }

        byte[]? bytes = null;
        if (file is { Length: > 0 })
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            bytes = buffer.ToArray();
        }

        var done = await visits.ReportAsync(caller, County, cycle, text, bytes, file?.FileName, ct);
        return done.Refusal is { } no ? no : Outcome.Done($"汇报已保存（{VisitService.Length(done.Value.Report)} 字）");
    }, ct);

    public Task<IActionResult> OnPostDataAsync(string? run, CancellationToken ct) => ActAsync(MayConduct, async (caller, cycle) =>
    {
        if (!long.TryParse(run, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            return Refusal.Invalid("事前采集未记录", "run", $"采集批次“{run}”应为批次编号");
        }

        var done = await visits.DataAsync(caller, County, cycle, id, ct);
        return done.Refusal is { } no ? no : Outcome.Done($"已选定采集批次 {id} 的数据");
    }, ct);

    public Task<IActionResult> OnPostDrawAsync(string? seed, CancellationToken ct) => ActAsync(MayConduct, async (caller, cycle) =>
    {
        var parsed = Seed(seed, "无法抽取实地查看的学校");
        if (parsed.Refusal is { } wrong)
        {
            return wrong;
        }

        var done = await visits.DrawAsync(caller, County, cycle, parsed.Value, ct);
        return done.Refusal is { } no ? no : Outcome.Done($"已抽取 {done.Value.Sample.Count} 所学校（随机种子 {done.Value.Seed}）");
    }, ct);

    public Task<IActionResult> OnPostNoteAsync(string? speaker, string? school, string? issue, CancellationToken ct) => ActAsync(MayConduct, async (caller, cycle) =>
    {
        var done = await visits.NoteAsync(caller, County, cycle, speaker, school, issue, ct);
        return done.Refusal is { } no ? no : Outcome.Done("座谈记录已保存");
    }, ct);

    protected override async Task<Refusal?> ShowAsync(Caller caller, EvaluationCycle cycle, CancellationToken ct)
    {
        var read = await visits.ReadAsync(caller, County, cycle, ct);
        if (read.Refusal is { } no)
        {
            return no;
        }

        View = read.Value;
        return null;
    }
}
