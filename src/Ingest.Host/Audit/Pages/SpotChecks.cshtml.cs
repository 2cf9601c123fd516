using Ingest.Application.Oversight;
using Ingest.Application.People;
using Ingest.Application.UseCases;
using Ingest.Core.Oversight;
using Ingest.Core.Periods;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Audit.Pages;

/// <summary>
/// 抽查 (第十五条（3）) of one county: the department draws the sample, concludes each check from its 教育厅评定 column and
/// closes the draw with the county's outcome; auditors read every step; the county's bureau reads the result once closed.
/// </summary>
[Allow(Roles.Department, Roles.Auditor, Roles.Bureau, Org = OrgFrom.Route, Key = "county")]
public sealed class SpotChecksModel(SpotCheckService spotChecks) : CountyCyclePage
{
    public SpotCheckDraw? Draw { get; private set; }

    public string CountyName { get; private set; } = string.Empty;

    /// <summary>Why there is no draw to show.</summary>
    public string? Message { get; private set; }

    public bool MayDecide => User.IsInRole(Roles.Department);

    public Task<IActionResult> OnPostDrawAsync(string? seed, CancellationToken ct) => ActAsync(MayDecide, async (caller, cycle) =>
    {
        var parsed = Seed(seed, "无法抽取抽查学校");
        if (parsed.Refusal is { } wrong)
        {
            return wrong;
        }

        var drawn = await spotChecks.DrawAsync(caller, County, cycle, parsed.Value, ct);
        return drawn.Refusal is { } no ? no : Outcome.Done($"已抽取 {drawn.Value.Checks.Count} 所学校（随机种子 {drawn.Value.Seed}）");
    }, ct);

    public Task<IActionResult> OnPostConcludeAsync(string school, string? note, CancellationToken ct) => ActAsync(MayDecide, async (caller, cycle) =>
    {
        var done = await spotChecks.ConcludeAsync(caller, County, cycle, school, note, ct);
        return done.Refusal is { } no ? no : Outcome.Done($"{done.Value.SchoolName}：{done.Value.Outcome}");
    }, ct);

    public Task<IActionResult> OnPostCloseAsync(string? note, CancellationToken ct) => ActAsync(MayDecide, async (caller, cycle) =>
    {
        var done = await spotChecks.CloseAsync(caller, County, cycle, note, ct);
        return done.Refusal is { } no ? no : Outcome.Done($"抽查已结束：{done.Value.Outcome}，结果已向教育局公布");
    }, ct);

    protected override async Task<Refusal?> ShowAsync(Caller caller, EvaluationCycle cycle, CancellationToken ct)
    {
        var read = await spotChecks.ReadAsync(caller, County, cycle, ct);
        if (read.Refusal is { } no)
        {
            return no;
        }

        (Draw, Message, CountyName) = (read.Value.Draw, read.Value.Message, read.Value.CountyName);
        return null;
    }
}
