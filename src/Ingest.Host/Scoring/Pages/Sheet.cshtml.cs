using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Application.UseCases;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Host.People;
using Ingest.Scoring.Sheets;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.Scoring.Pages;

/// <summary>
/// One scoresheet as a rater works on it: the rubric's areas and items, each line's pre-filled score and evidence, the
/// three columns side by side, and inputs only in the column the signed-in role writes. Every write goes through
/// <see cref="ScoresheetService"/>, the same as the API: a refused entry saves nothing and says why beside its field.
/// </summary>
[Allow(Roles.Department, Roles.Bureau, Roles.School, Roles.Auditor, Org = OrgFrom.Route, Key = "org")]
public sealed partial class SheetModel(ScoresheetService service, AccessRules rules, Ingest.Data.Organisations.OrganisationContactStore contacts,
    Ingest.Application.Evidence.EvidenceFileService evidence) : PageModel
{
    [FromRoute]
    public string Cycle { get; set; } = string.Empty;

    [FromRoute]
    public string Org { get; set; } = string.Empty;

    public Scoresheet? Sheet { get; private set; }

    public SheetPermit Permit { get; private set; } = null!;

    /// <summary>Why the sheet cannot be shown (not pre-filled yet, wrong level), instead of the sheet.</summary>
    public string? Problem { get; private set; }

    /// <summary>联系人 and 联系方式 of the school, as its 星级认定表 prints them.</summary>
    public Ingest.Data.Organisations.OrganisationContact? Contact { get; private set; }

    /// <summary>Every 备案 and reopening of the sheet, oldest first.</summary>
    public IReadOnlyList<Ingest.Data.Scoresheets.SheetStage> Stages { get; private set; } = [];

    /// <summary>The sheet exists in no form yet: a writer is offered to pre-fill it.</summary>
    public bool NotPrefilled { get; private set; }

    /// <summary>Errors by target ("16/library"), or "stars" / "import", shown beside the field.</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>What was typed into a refused form, by target and field, so the person corrects rather than retypes.</summary>
    public Dictionary<string, string?> Typed { get; } = new(StringComparer.Ordinal);

    /// <summary>Why a workbook was refused, every bad row named.</summary>
    public Refusal? ImportRefused { get; private set; }

    public string? Notice { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? saved, int? logged, int? unchanged, CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } refused)
        {
            return refused;
        }

        Notice = saved switch
        {
            null => null,
            "stars" => "申报星级已保存",
            "contact" => "联系人与联系方式已保存",
            "prefill" => "评分表已预填：网上采集数据的各项已按当前数据评分，其余各项待填",
            "import" => $"填报表已导入：录入 {logged ?? 0} 项，{unchanged ?? 0} 项与表中原值相同",
            "confirm" => $"已现场确认 {logged ?? 0} 项：预填得分保留，记入录入记录",
            _ => $"指标 {saved} 已保存",
        };
        return Page();
    }

    /// <summary>An id-safe form of a target for anchors and field ids: 16/library → 16-library.</summary>
    public static string Anchor(string target) => target.Replace('/', '-').Replace('.', '_');

    /// <summary>The column the caller writes, or null; a column frozen by 备案 is written by no one.</summary>
    public Column? Writable => Permit.Write is { } column && Sheet?.FrozenColumns.Contains(column) != true ? column : null;

    /// <summary>The first line of the caller's column that waits for an entry (待填 or 无法计算), in the rubric's order; null when none does.</summary>
    public string? FirstWaiting => Writable is { } column && Sheet is { } sheet
        ? sheet.Column(column).Items.SelectMany(i => i.Targets).FirstOrDefault(t => t.Status is LineStatus.Pending or LineStatus.NotComputable or LineStatus.Unconfirmed)?.Target.Key
        : null;

    /// <summary>How many lines of the caller's column wait for an on-site check (待现场确认).</summary>
    public int Unconfirmed => Writable is { } column && Sheet is { } sheet ? sheet.Column(column).Unconfirmed : 0;

    /// <summary>The column a narrow screen shows: the caller's own, or for a reader the bureau's.</summary>
    public string MineKey => RaterText.ColumnKey(Writable ?? Column.Bureau);

    /// <summary>The live 佐证材料 of the sheet, by line.</summary>
    public ILookup<string, Ingest.Core.Evidence.EvidenceFile> Files { get; private set; } = Array.Empty<Ingest.Core.Evidence.EvidenceFile>().ToLookup(f => f.Target);

    /// <summary>Whether the caller uploads 佐证材料 (the school and its bureau).</summary>
    public bool UploadsFiles => Permit.Write is Column.Self or Column.Bureau;

    /// <summary>
    /// A score entered on a line the data does not fill (an on-site item, or one the data cannot compute) with no file
    /// behind it: the rater is warned (无佐证), not stopped.
    /// </summary>
    public bool WithoutEvidence(string target) =>
        Sheet is { } sheet && sheet.Auto.GetValueOrDefault(target) is not { Computable: true } && !Files[target].Any()
        && Columns.Any(c => sheet.Column(c).Items.SelectMany(i => i.Targets).Any(t => t.Target.Key == target && t.Entry is { Value.IsWithdrawal: false }));

    public IEnumerable<EntryLog> History(string target) => Sheet!.Entries.Where(e => e.Entry.Target == target).OrderByDescending(e => e.Id);

    /// <summary>Loads the sheet the caller may see; a refusal (403, 404) as the result, or null when it is loaded.</summary>
    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        EvaluationCycle cycle;
        try
        {
            cycle = EvaluationCycle.Parse(Cycle);
        }
        catch (FormatException e)
        {
            return NotFoundPage(e.Message);
        }

        // A page never writes on GET: a sheet not pre-filled yet is offered to be pre-filled, by a button that posts.
        var sheet = await service.ReadAsync(HttpCaller.Of(HttpContext), Org, cycle, ct, prefill: false);
        if (sheet.Refusal is { Kind: RefusalKind.Forbidden })
        {
            return Forbid();
        }

        Permit = await rules.SheetAsync(HttpCaller.Of(HttpContext), Org, ct);
        if (sheet.Refusal is { Code: Refusal.NotPrefilled } missing)
        {
            NotPrefilled = true;
            Problem = Permit.MayBuild ? $"{Org} 的 {cycle.Year} 年度评分表尚未预填：预填后即可评分。" : missing.Message;
            return Page();
        }

        if (sheet.Refusal is { } refusal)
        {
            return NotFoundPage(refusal.Message);
        }

        Sheet = sheet.Value;
        var files = await evidence.ListAsync(HttpCaller.Of(HttpContext), Org, cycle, ct);
        Files = files.IsDone ? files.Value.Where(f => f.Live).ToLookup(f => f.Target, StringComparer.Ordinal) : Files;
        Contact = await contacts.FindAsync(Org, ct);
        Stages = await service.StagesAsync(Sheet, ct);
        return null;
    }

    private PageResult NotFoundPage(string message)
    {
        Problem = message;
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }

    public bool IsSchoolCycle => Sheet?.Rubric.Kind == RubricKind.School;

    /// <summary>The three columns, in the order the form prints them.</summary>
    public static IReadOnlyList<Column> Columns { get; } = [Column.Self, Column.Bureau, Column.Department];

    /// <summary>A moment as the pages show it: Beijing time to the minute.</summary>
    public static string Time(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>One line of a sheet as <c>_SheetLine</c> renders it: the page it is on, its item and the target within the item.</summary>
public sealed record SheetLine(SheetModel Page, Ingest.Scoring.Rubrics.RubricItem Item, Ingest.Scoring.Rubrics.ScoreTarget Target);
