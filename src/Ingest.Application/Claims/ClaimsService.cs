using System.Globalization;
using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Application.UseCases;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Data.Audit;
using Ingest.Data.Claims;
using Ingest.Data.Organisations;
using Ingest.Documents.Claims;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;

namespace Ingest.Application.Claims;

/// <summary>
/// Schools' claims (自评): the file each school or bureau fills, checked row by row and imported all or none. An import
/// replaces the school's claims for the cycle (earlier imports stay) and fills its 学校自评 column through the same
/// entry path as the 填报表, signed by the importer with the file's name.
/// </summary>
public sealed partial class ClaimsService(ClaimStore claims, ScoresheetService sheets, OrganisationStore organisations, AccessRules access,
    Data.Files.EvidenceFileStore evidence)
{
    /// <summary>
    /// Imports a claims file for <paramref name="cycle"/>: a school for itself, a bureau for its county's schools, the
    /// command line for any school of the directory. Every wrong row is named and nothing is kept.
    /// </summary>
    public async Task<Outcome<ClaimsImportOutcome>> ImportAsync(Caller caller, byte[] bytes, string fileName, EvaluationCycle cycle, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsCommandLine && caller.Role is not (Roles.School or Roles.Bureau))
        {
            return Refusal.Forbidden("自评由学校为本校、或教育局为本县（区）学校导入");
        }

        try
        {
            return await ImportAsync(bytes, fileName, cycle, caller.Actor,
                caller.IsCommandLine ? (_, _) => Task.FromResult(true) : (school, token) => access.InScopeAsync(caller, school, token), ct);
        }
        catch (Rating.SheetFrozenException e)
        {
            return Refusal.Conflict("自评文件未导入", e.Message);
        }
        catch (ClaimsImportException e)
        {
            return Refusal.Invalid("自评文件未导入", $"{e.File} 未导入：{e.Errors.Count} 处错误", e.Errors.Select(x => new FieldError(e.File, x)).ToArray(), e.File);
        }
    }

    /// <exception cref="ClaimsImportException">A row is wrong; every problem is named and nothing is kept.</exception>
    private async Task<ClaimsImportOutcome> ImportAsync(byte[] bytes, string fileName, EvaluationCycle cycle, Actor by,
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
        var files = new Dictionary<string, IReadOnlyList<Ingest.Core.Evidence.EvidenceFile>>(StringComparer.Ordinal);
        // A row with nothing filled in claims nothing: the template lists every item, a school fills those it claims.
        foreach (var row in ClaimsFile.Read(bytes, fileName).Where(r => r[ClaimsFile.Score] is not null || r[ClaimsFile.Figure] is not null || r[ClaimsFile.Note] is not null
                     || r[ClaimsFile.Evidence] is not null))
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

            // The same rule the 学校自评 column applies to the entry this claim becomes (a 是否项 claims 0 or its points).
            var bounds = rubric.FindTarget(target.Target) is { } line
                ? SheetScorer.Validate(line, new Ingest.Core.Sheets.EntryValue(score, null, null, "自评"), null, Ingest.Core.Sheets.Column.Self)
                : SheetScorer.ScoreBoundsError(RaterText.ItemName(target.Number), score, target.Points);
            if (bounds is not null)
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

            // The files named must stand behind the line claimed (any part of an item claimed whole), uploaded and not removed.
            var named = Ingest.Core.Evidence.EvidenceReferences.Parse(row[ClaimsFile.Evidence]);
            if (named.Count > 0)
            {
                if (!files.TryGetValue(code, out var ofSchool))
                {
                    files[code] = ofSchool = await evidence.ListAsync(cycle.ToString(), code, ct);
                }

                var ofLine = ofSchool.Where(f => f.Target == target.Target || f.Target.StartsWith(target.Target + "/", StringComparison.Ordinal));
                if (Ingest.Core.Evidence.EvidenceReferences.Problem(named, RaterText.ItemName(target.Target), ofLine) is { } problem)
                {
                    errors.Add(At(row, ClaimsFile.Evidence, problem));
                    continue;
                }
            }

            rows.Add(new Claim(code, target.Item, target.Target, score, figure, row[ClaimsFile.Note], row.Line) { Files = named });
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
            entries += await FillSelfColumnAsync(school, cycle, rows.Where(r => r.SchoolCode == school).ToArray(), files.GetValueOrDefault(school) ?? [],
                before.GetValueOrDefault(school),
                new Data.Scoresheets.ImportSource(fileName, school == by.Scope ? null : signedAs), by, ct);
        }

        return new ClaimsImportOutcome(importId, schoolCodes, rows.Count, entries);
    }
}
