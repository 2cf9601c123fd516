using System.Globalization;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Data.Audit;
using Ingest.Data.Claims;
using Ingest.Documents.Claims;
using Ingest.Scoring.Claims;
using Ingest.Scoring.Rubrics;

namespace Ingest.Application.Claims;

public sealed partial class ClaimsService
{
    /// <summary>
    /// The claims as 学校自评 entries, so that the sheet and the claims report add up the same self-assessment: each
    /// claimed score, with the note (or the file) as its reason, on every line the claim names (counted items and the
    /// 是否项 too: the school's column takes the score it claims; a parted item claimed whole is spread over its parts in
    /// order, each up to its points, behind the files named that lie on that part). A line the earlier claims held and
    /// these do not is withdrawn.
    /// </summary>
    private async Task<int> FillSelfColumnAsync(string school, EvaluationCycle cycle, IReadOnlyList<Claim> claimsOfSchool,
        IReadOnlyList<Ingest.Core.Evidence.EvidenceFile> files, CurrentClaims? earlier,
        Data.Scoresheets.ImportSource import, Actor by, CancellationToken ct)
    {
        var fileName = import.FileName;
        var sheet = await sheets.GetOrBuildAsync(school, cycle, by, ct);
        var reason = $"学校自评（{fileName}）";
        var changes = claimsOfSchool.SelectMany(c => Lines(sheet.Rubric, c.Item, c.Target, c.Score).Select(l => (l.Target,
                new EntryValue(l.Score, null, null, c.Note ?? reason) { Files = FilesOn(c, l.Target, files) })))
            .ToList();
        var self = sheet.Column(Column.Self).Items.SelectMany(i => i.Targets).Where(t => t.Entry is not null).Select(t => t.Target.Key).ToHashSet();
        foreach (var gone in (earlier?.Claims ?? []).SelectMany(c => Lines(sheet.Rubric, c.Item, c.Target, c.Score)).Select(l => l.Target).Distinct()
                     .Where(self.Contains).Except(changes.Select(c => c.Target)).ToArray())
        {
            changes.Add((gone, EntryValue.Withdrawal($"新的自评文件 {fileName} 中没有此项")));
        }

        return changes.Count == 0 ? 0 : (await sheets.ApplyAsync(school, cycle, Column.Self, changes, by, import, ct)).Logged;
    }

    /// <summary>The files a claim names that stand behind <paramref name="line"/>: all of them when the claim is that line.</summary>
    private static IReadOnlyList<string> FilesOn(Claim claim, string line, IReadOnlyList<Ingest.Core.Evidence.EvidenceFile> files) =>
        claim.Target == line
            ? claim.Files
            : claim.Files.Where(n => Ingest.Core.Evidence.EvidenceReferences.Find(n, files.Where(f => f.Live && f.Target == line)) is not null).ToArray();

    private static IEnumerable<(string Target, decimal Score)> Lines(Rubric rubric, string item, string target, decimal score) =>
        rubric.Find(item) is { } found ? ClaimsComparer.Spread(found, target, score) : [];

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
