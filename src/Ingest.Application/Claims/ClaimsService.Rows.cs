using System.Globalization;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Data.Audit;
using Ingest.Data.Claims;
using Ingest.Documents.Claims;
using Ingest.Scoring.Rubrics;

namespace Ingest.Application.Claims;

public sealed partial class ClaimsService
{
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
