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
    /// The 星级认定表 of a school in a school cycle: the sheet's three columns, its 已获星级 (the level it holds from the
    /// cycle before, 未定级 without one) and its contact.
    /// </summary>
    /// <param name="opener">Who may pre-fill the sheet if it has none yet (audited); null: a reader, for whom nothing is created.</param>
    public async Task<SchoolFormModel> SchoolFormAsync(string orgCode, EvaluationCycle cycle, Actor? opener, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        if (cycle.Rubric != RubricKind.School)
        {
            throw new ScoresheetException("星级认定表是学校的表；县（区）评分表请导出为 csv 或 json");
        }

        var sheet = await GetAsync(orgCode, cycle, opener, ct);
        var previousId = await reader.FindAsync(orgCode, sheet.Rubric.Id, cycle with { Year = cycle.Year - 1 }, ct);
        SchoolRating? previous = null;
        if (previousId is { } id && await reader.LoadAsync(id, ct) is { } stored && SheetColumns.Compose(stored) is var last)
        {
            var bureau = last.Column(Column.Bureau);
            var department = last.Column(Column.Department);
            previous = new SchoolRating(last.OrgCode, last.OrgName, last.CountyCode ?? string.Empty, last.Cycle.Year, last.AppliedStars,
                bureau.Stars?.Stars, bureau.Pending + bureau.NotComputable == 0, department.Stars?.Stars, department.Pending + department.NotComputable == 0);
        }

        var contact = await contacts.FindAsync(orgCode, ct);
        return SchoolFormModel.From(sheet, previous, contact?.Person, contact?.Phone);
    }

    /// <summary>Sets 联系人 and 联系方式 of a school or county, as its forms print them.</summary>
    /// <exception cref="ScoresheetException">The organisation is not in the directory, or no name is given.</exception>
    public async Task<OrganisationContact> SetContactAsync(string orgCode, string? person, string? phone, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (string.IsNullOrWhiteSpace(by.Name))
        {
            throw new ScoresheetException("修改联系人须署名：缺少修改人姓名");
        }

        var org = await reader.FindOrganisationAsync(orgCode, ct) ?? throw new ScoresheetException($"机构目录中没有 {orgCode}：请先采集其所在县（区）的数据");
        if (org.Level is not (OrgLevel.School or OrgLevel.County))
        {
            throw new ScoresheetException($"{orgCode}（{org.Name}）不是学校或县（区），没有认定表");
        }

        return await contacts.SetAsync(orgCode, person, phone, by, ct);
    }

    /// <summary>Records the level a school applies for (申报星级).</summary>
    public async Task<Scoresheet> SetAppliedStarsAsync(string orgCode, EvaluationCycle cycle, int? stars, Actor by, CancellationToken ct)
    {
        if (stars is { } level && !AppliedStars.Accepts(level))
        {
            throw new ScoresheetException($"申报星级应为 {AppliedStars.Lowest}～{AppliedStars.Highest} 星，不能是 {level}");
        }

        var sheet = await GetOrBuildAsync(orgCode, cycle, by, ct);
        await store.SetAppliedStarsAsync(sheet.Id, stars, by, ct);
        return await LoadAsync(sheet.Id, ct);
    }
}
