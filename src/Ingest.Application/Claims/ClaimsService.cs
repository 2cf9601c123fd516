using System.Globalization;
using Ingest.Application.Rating;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Data.Audit;
using Ingest.Data.Claims;
using Ingest.Data.Organisations;
using Ingest.Documents.Claims;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;

namespace Ingest.Application.Claims;

/// <summary>What an import did: the import's id, the schools it holds, its rows, and the entries it made in their 学校自评 columns.</summary>
public sealed record ClaimsImportOutcome(long ImportId, IReadOnlyList<string> Schools, int Rows, int Entries);

/// <summary>
/// Schools' claims (自评): the file each school or bureau fills, checked row by row and imported all or none. An import
/// replaces the school's claims for the cycle (earlier imports stay) and fills its 学校自评 column through the same
/// entry path as the 填报表, signed by the importer with the file's name.
/// </summary>
public sealed class ClaimsService(ClaimStore claims, ScoresheetService sheets, OrganisationStore organisations)
{
    /// <summary>
    /// Imports a claims file for <paramref name="cycle"/>. <paramref name="mayClaimFor"/> says whether the importer may
    /// claim for a school (a school for itself, a bureau for its county's schools).
    /// </summary>
    /// <exception cref="ClaimsImportException">A row is wrong; every problem is named and nothing is kept.</exception>
    public async Task<ClaimsImportOutcome> ImportAsync(byte[] bytes, string fileName, EvaluationCycle cycle, Actor by,
        Func<string, CancellationToken, Task<bool>> mayClaimFor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        ArgumentNullException.ThrowIfNull(mayClaimFor);
        fileName = Ingest.Core.Text.FileNames.OfUpload(fileName, "自评文件");
        if (cycle.Rubric != RubricKind.School)
        {
            throw new ClaimsImportException(fileName, [$"自评文件针对学校星级评定；{cycle} 不是学校评定周期"]);
        }

        var rubric = RubricLibrary.Default(cycle.Rubric);
        var errors = new List<string>();
        var rows = new List<Claim>();
        var seen = new HashSet<(string, string)>();
        var schools = new Dictionary<string, (bool Known, bool Allowed)>(StringComparer.Ordinal);
        // A row with nothing filled in claims nothing: the template lists every item, a school fills those it claims.
        foreach (var row in ClaimsFile.Read(bytes, fileName).Where(r => r[ClaimsFile.Score] is not null || r[ClaimsFile.Figure] is not null || r[ClaimsFile.Note] is not null))
        {
            var code = row[ClaimsFile.School];
            if (code is null)
            {
                errors.Add(At(row, ClaimsFile.School, "不能为空"));
                continue;
            }

            if (!schools.TryGetValue(code, out var school))
            {
                var org = await organisations.FindAsync(code, ct);
                schools[code] = school = (org is { Level: OrgLevel.School }, org is { Level: OrgLevel.School } && await mayClaimFor(code, ct));
            }

            if (!school.Known)
            {
                errors.Add(At(row, ClaimsFile.School, $"机构目录中没有学校 {code}"));
                continue;
            }

            if (!school.Allowed)
            {
                errors.Add(At(row, ClaimsFile.School, $"{code} 不在本账号的范围内：学校只能为本校、教育局只能为本县（区）的学校导入自评"));
                continue;
            }

            if (Resolve(rubric, row[ClaimsFile.Number]) is not { } target)
            {
                errors.Add(At(row, ClaimsFile.Number, $"“{row[ClaimsFile.Number]}”不是{rubric.Title}的序号（分项写作 16.1、16.2……）"));
                continue;
            }

            decimal score;
            try
            {
                score = RaterText.ParseScore(row[ClaimsFile.Score], "自评得分");
            }
            catch (FormatException e)
            {
                errors.Add(At(row, ClaimsFile.Score, row[ClaimsFile.Score] is null ? "不能为空" : e.Message));
                continue;
            }

            if (SheetScorer.ScoreBoundsError(RaterText.ItemName(target.Number), score, target.Points) is { } bounds)
            {
                errors.Add(At(row, ClaimsFile.Score, bounds));
                continue;
            }

            decimal? figure = null;
            if (row[ClaimsFile.Figure] is { } figureText)
            {
                if (figureText.Contains(',', StringComparison.Ordinal) || figureText.Contains('，', StringComparison.Ordinal)
                    || !decimal.TryParse(figureText, NumberStyles.Number & ~NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var f))
                {
                    errors.Add(At(row, ClaimsFile.Figure, $"“{figureText}”不是数字（小数用小数点，不用千位分隔符）"));
                    continue;
                }

                figure = f;
            }

            if (!seen.Add((code, target.Target)))
            {
                errors.Add(At(row, ClaimsFile.Number, $"{code} 的序号 {target.Number} 重复出现"));
                continue;
            }

            rows.Add(new Claim(code, target.Item, target.Target, score, figure, row[ClaimsFile.Note], row.Line));
        }

        if (errors.Count == 0 && rows.Count == 0)
        {
            errors.Add("文件中没有自评数据行");
        }

        if (errors.Count > 0)
        {
            throw new ClaimsImportException(fileName, errors);
        }

        var schoolCodes = rows.Select(r => r.SchoolCode).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var before = (await claims.CurrentAsync(cycle.ToString(), schoolCodes, ct)).ToDictionary(c => c.SchoolCode);
        var importId = await claims.SaveAsync(cycle.ToString(), fileName, rows, by, ct);
        var entries = 0;
        var signedAs = await OnBehalfAsync(by, ct);
        foreach (var school in schoolCodes)
        {
            entries += await FillSelfColumnAsync(school, cycle, rows.Where(r => r.SchoolCode == school).ToArray(), before.GetValueOrDefault(school),
                new Data.Scoresheets.ImportSource(fileName, school == by.Scope ? null : signedAs), by, ct);
        }

        return new ClaimsImportOutcome(importId, schoolCodes, rows.Count, entries);
    }

    /// <summary>
    /// The claims as 学校自评 entries: each claimed score of a line scored in points, with the note (or the file) as its
    /// reason; a line the earlier claims held and these do not is withdrawn. Counted items, the flag of 64 and a whole
    /// item claimed in one score stay claims only: the column takes counts, 是/否 or part scores there.
    /// </summary>
    private async Task<int> FillSelfColumnAsync(string school, EvaluationCycle cycle, IReadOnlyList<Claim> claimsOfSchool, CurrentClaims? earlier,
        Data.Scoresheets.ImportSource import, Actor by, CancellationToken ct)
    {
        var fileName = import.FileName;
        var sheet = await sheets.GetOrBuildAsync(school, cycle, by, ct);
        var targets = sheet.Rubric.Items.SelectMany(i => i.Targets).Where(t => t.Entry is EntryKind.Score or EntryKind.None).ToDictionary(t => t.Key);
        var reason = $"学校自评（{fileName}）";
        var changes = claimsOfSchool.Where(c => targets.ContainsKey(c.Target))
            .Select(c => (c.Target, new EntryValue(c.Score, null, null, c.Note ?? reason))).ToList();
        var self = sheet.Column(Column.Self).Items.SelectMany(i => i.Targets).Where(t => t.Entry is not null).Select(t => t.Target.Key).ToHashSet();
        foreach (var gone in (earlier?.Claims ?? []).Select(c => c.Target).Where(t => targets.ContainsKey(t) && self.Contains(t))
                     .Except(changes.Select(c => c.Target)))
        {
            changes.Add((gone, EntryValue.Withdrawal($"新的自评文件 {fileName} 中没有此项")));
        }

        return changes.Count == 0 ? 0 : (await sheets.ApplyAsync(school, cycle, Column.Self, changes, by, import, ct)).Logged;
    }

    /// <summary>
    /// How 学校自评 entries are signed when someone other than the school imports them (代填): the person and the bureau
    /// (“李老师（泾源县教育局代填）”), or the person and where they worked from (“张运维（命令行代填）”).
    /// </summary>
    private async Task<string> OnBehalfAsync(Actor by, CancellationToken ct)
    {
        var on = by.Role == Ingest.Application.People.Roles.Bureau && by.Scope is { } county && await organisations.FindAsync(county, ct) is { } org ? org.Name + "教育局"
            : by.Role is "cli" ? "命令行"
            : Ingest.Application.People.Roles.Title(by.Role ?? string.Empty);
        return $"{by.Name.Trim()}（{on}代填）";
    }

    /// <summary>The item and target a 序号 names: “23”, “16.1” (the first part of 16 as listed), or “16” for the whole of a parted item.</summary>
    private static (string Number, string Item, string Target, decimal Points)? Resolve(Rubric rubric, string? number)
    {
        if (number is null)
        {
            return null;
        }

        if (rubric.Find(number) is { } item)
        {
            return (number, item.Number, item.Number, item.Points);
        }

        var dot = number.LastIndexOf('.');
        if (dot > 0 && rubric.Find(number[..dot]) is { Rule: PartsRule parts } parent
            && int.TryParse(number[(dot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= parts.Parts.Count)
        {
            var part = parts.Parts[n - 1];
            return (number, parent.Number, $"{parent.Number}/{part.Key}", part.Points);
        }

        return null;
    }

    private static string At(ClaimsRow row, string column, string message) => $"第 {row.Line} 行“{column}”列：{message}";
}
