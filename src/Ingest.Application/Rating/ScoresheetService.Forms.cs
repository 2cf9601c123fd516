using Ingest.Application.People;
using Ingest.Application.UseCases;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Data.Audit;
using Ingest.Data.Organisations;
using Ingest.Documents.Forms;
using Ingest.Scoring.Programme;
using Ingest.Scoring.Sheets;

namespace Ingest.Application.Rating;

public sealed partial class ScoresheetService
{
    /// <summary>
    /// The 星级认定表 of a school in a school cycle: the sheet's three columns, its 已获星级 (the level the register of
    /// levels says it holds at the start of the year, 未定级 without one) and its contact.
    /// </summary>
    /// <param name="opener">Who may pre-fill the sheet if it has none yet (audited); null: a reader, for whom nothing is created.</param>
    private async Task<SchoolFormModel> SchoolFormAsync(string orgCode, EvaluationCycle cycle, Actor? opener, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        if (cycle.Rubric != RubricKind.School)
        {
            throw new ScoresheetException("星级认定表是学校的表；县（区）评分表请导出为 csv 或 json");
        }

        var sheet = await GetAsync(orgCode, cycle, opener, ct);
        var held = LevelHistory.HeldAt(await levels.ListAsync(null, [orgCode], cycle.Year - 1, ct), cycle.Year - 1);
        var contact = await contacts.FindAsync(orgCode, ct);
        return SchoolFormModel.From(sheet, held?.Stars, contact?.Person, contact?.Phone);
    }

    /// <summary>The longest 联系人 or 联系方式 the form prints in its cell.</summary>
    public const int ContactLength = 40;

    /// <summary>
    /// Sets 联系人 and 联系方式 of a school or county, as its forms print them: the school, its bureau or the department
    /// (whoever writes a column of its sheets), signed with the caller's name.
    /// </summary>
    public async Task<Outcome<OrganisationContact>> SetContactAsync(Caller caller, string orgCode, string? person, string? phone, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        const string title = "联系人未保存";
        var permit = await access.SheetAsync(caller, orgCode, ct);
        if (!permit.MayBuild)
        {
            return Refusal.Forbidden(permit.Refusal ?? $"{caller.Describe()}只能查看，不能修改联系人");
        }

        if (string.IsNullOrWhiteSpace(caller.Name))
        {
            return Refusal.Invalid(title, "by", "修改联系人须署名：缺少修改人姓名");
        }

        var org = await reader.FindOrganisationAsync(orgCode, ct);
        if (org is null)
        {
            return Refusal.NotFound(title, $"机构目录中没有 {orgCode}：请先采集其所在县（区）的数据");
        }

        if (org.Level is not (OrgLevel.School or OrgLevel.County))
        {
            return Refusal.Invalid(title, "org", $"{orgCode}（{org.Name}）不是学校或县（区），没有认定表");
        }

        // What the form prints in one cell: a name or a number, not a paragraph.
        var errors = new[] { ("person", "联系人", person), ("phone", "联系方式", phone) }
            .Where(f => f.Item3 is { } v && (v.Trim().Length > ContactLength || v.Any(char.IsControl)))
            .Select(f => new FieldError(f.Item1, $"{f.Item2}最多 {ContactLength} 个字符，且不能换行")).ToArray();
        if (errors.Length > 0)
        {
            return Refusal.Invalid(title, string.Join("；", errors.Select(e => e.Message)), errors);
        }

        return await contacts.SetAsync(orgCode, person?.Trim(), phone?.Trim(), caller.Actor, ct);
    }

    /// <summary>
    /// Records the level a school applies for (申报星级), as typed (<see cref="AppliedStars.TryRead"/>); blank withdraws it.
    /// Only the school's own column writes it (or the command line).
    /// </summary>
    public async Task<Outcome<Scoresheet>> SetAppliedStarsAsync(Caller caller, string orgCode, EvaluationCycle cycle, string? stars, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var permit = await access.SheetAsync(caller, orgCode, ct);
        if (!permit.Read)
        {
            return Refusal.Forbidden(permit.Refusal!);
        }

        if (!permit.Writes(Column.Self))
        {
            return Refusal.Forbidden("申报星级由学校自己填写");
        }

        if (!AppliedStars.TryRead(stars, out var level, out var problem))
        {
            return Refusal.Invalid("申报星级未保存", "stars", problem!);
        }

        var sheet = await GetOrBuildAsync(orgCode, cycle, caller.Actor, ct);
        if (sheet.FrozenColumns.Contains(Column.Self))
        {
            return Refusal.Conflict("申报星级未保存", $"{sheet.OrgName}的评分表已备案（定稿），申报星级不能再改；如需修改，请教育厅重新开放并说明理由");
        }

        await store.SetAppliedStarsAsync(sheet.Id, level, caller.Actor, ct);
        return await LoadAsync(sheet.Id, ct);
    }
}
