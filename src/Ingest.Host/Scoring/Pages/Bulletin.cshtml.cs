using Ingest.Application.Bulletins;
using Ingest.Application.People;
using Ingest.Application.UseCases;
using Ingest.Core.Periods;
using Ingest.Host.People;
using Microsoft.AspNetCore.Mvc;
using Ingest.Host.Web;

namespace Ingest.Host.Scoring.Pages;

/// <summary>
/// A county's bulletin (通报) as its author writes it: the draft in the order seed 002 has, each hole a field in its
/// place; saved through <see cref="BulletinService"/>; the Word draft and, once nothing waits, the final bulletin.
/// </summary>
[Allow(Roles.Department, Roles.Bureau, Roles.Auditor, Org = OrgFrom.Route, Key = "county")]
public sealed class BulletinModel(BulletinService service) : CyclePage
{
    [FromRoute]
    public string County { get; set; } = string.Empty;

    public BulletinView View { get; private set; } = null!;

    public Task<IActionResult> OnPostWriteAsync([FromForm] Dictionary<string, string?> fill, CancellationToken ct) =>
        ActAsync(true, async (caller, cycle) =>
        {
            var outcome = await service.WriteAsync(caller, County, cycle, fill ?? [], ct);
            var waiting = outcome.IsDone ? outcome.Value.Draft.Waiting.Count : 0;
            return outcome.Refusal is { } refused ? refused : waiting == 0 ? "已保存：没有待填项，可以导出定稿" : $"已保存：还有 {waiting} 处待填";
        }, ct);

    protected override async Task<Refusal?> ShowAsync(Caller caller, EvaluationCycle cycle, CancellationToken ct)
    {
        var view = await service.DraftAsync(caller, County, cycle, ct);
        View = view.IsDone ? view.Value : View;
        return view.Refusal;
    }
}
