using System.Globalization;
using Ingest.Core.Periods;

namespace Ingest.Scoring.Rubrics;

/// <summary>Builds a rubric from its file, checking every item as it goes; each error names the file and the item.</summary>
internal sealed partial class RubricBuilder(string file)
{
    private string? rubricId;

    public Rubric Build(RubricDto dto)
    {
        var id = Required(dto.Id, "id");
        rubricId = id;
        var kind = Required(dto.Kind, "kind") switch
        {
            "school" => RubricKind.School,
            "county" => RubricKind.County,
            var k => throw Fail($"kind '{k}' is neither school nor county"),
        };
        var areas = (dto.Areas ?? throw Fail("has no areas")).Select(BuildArea).ToArray();
        var numbers = areas.SelectMany(a => a.Items).GroupBy(i => i.Number).FirstOrDefault(g => g.Count() > 1);
        if (numbers is not null)
        {
            throw Fail($"item {numbers.Key} appears more than once");
        }

        var total = dto.Total ?? throw Fail("has no total");
        var sum = areas.Where(a => !a.Bonus).Sum(a => a.Points);
        if (sum != total)
        {
            throw Fail(Inv($"areas add up to {sum} points, the rubric's total is {total}"));
        }

        var levels = (dto.StarLevels ?? []).Select(l => new StarLevel(l.Stars, l.Min)).ToArray();
        for (var i = 1; i < levels.Length; i++)
        {
            if (levels[i].Min >= levels[i - 1].Min || levels[i].Stars >= levels[i - 1].Stars)
            {
                throw Fail("star levels must be listed highest first, each needing less than the one before");
            }
        }

        if (dto.VetoFromStars is { } veto && levels.All(l => l.Stars != veto))
        {
            throw Fail(Inv($"vetoFromStars {veto} is not one of the star levels"));
        }

        return new Rubric(id, kind, Required(dto.Title, "title"), Required(dto.Source, "source"), total, levels, dto.VetoFromStars, areas, dto.Note);
    }

    private RubricArea BuildArea(AreaDto dto)
    {
        var code = Required(dto.Code, "area code");
        var points = dto.Points ?? throw Fail($"area {code} has no points");
        var groups = (dto.Groups ?? throw Fail($"area {code} has no groups")).Select(g => BuildGroup(code, g)).ToArray();
        var items = groups.SelectMany(g => g.Items).ToArray();
        if (items.Length == 0)
        {
            throw Fail($"area {code} has no items");
        }

        // An item that overrides its area (64) adds nothing to the sum: it sets the area to its points.
        var sum = items.Where(i => i.Rule is not FlagRule { OverridesArea: true }).Sum(i => i.Points);
        if (dto.Bonus != true && sum != points)
        {
            throw Fail(Inv($"area {code} ({dto.Name}): items add up to {sum} points, the area has {points}"));
        }

        foreach (var item in items.Where(i => i.Points > points))
        {
            throw Fail(Inv($"item {item.Number}: {item.Points} points, more than its area's {points}"));
        }

        return new RubricArea(code, Required(dto.Name, $"area {code} name"), points, dto.Bonus == true, groups, dto.Note);
    }

    private RubricGroup BuildGroup(string area, GroupDto dto)
    {
        var items = (dto.Items ?? throw Fail($"area {area}, group {dto.Name}: no items")).Select(i => BuildItem(area, dto.Name, i)).ToArray();
        var sum = items.Where(i => i.Rule is not FlagRule { OverridesArea: true }).Sum(i => i.Points);
        if (dto.Points is { } points && sum != points)
        {
            throw Fail(Inv($"area {area}, group {dto.Name}: items add up to {sum} points, the group has {points}"));
        }

        return new RubricGroup(dto.Name, dto.Points, items);
    }

    private RubricItem BuildItem(string area, string? group, ItemDto dto)
    {
        var number = Required(dto.Number, $"an item of area {area}: number");
        var at = $"item {number}";
        var text = Required(dto.Text, $"{at}: text");
        var points = dto.Points ?? throw Fail($"{at}: no points");
        CheckPoints(points, at);
        var veto = dto.Veto ?? false;
        if (veto != text.StartsWith('★'))
        {
            throw Fail($"{at}: veto is {(veto ? "set" : "not set")} but the text {(veto ? "does not start" : "starts")} with ★");
        }

        var rule = BuildRule(dto.Rule ?? throw Fail($"{at}: no rule"), points, at, allowParts: true);
        var item = new RubricItem(number, area, group, text, points, veto, rule, dto.OnSite);
        if (dto.OnSite is { } onSite && (!text.Contains(onSite, StringComparison.Ordinal) || !item.Targets.Any(t => t.IsAuto)))
        {
            throw Fail($"{at}: onSite must quote the item's text and the item must be pre-filled from data");
        }

        return item;
    }

    private void ScoresWithin(decimal[] scores, decimal points, string at)
    {
        foreach (var s in scores)
        {
            CheckPoints(s, at);
            if (s < 0 || s > points)
            {
                throw Fail(Inv($"{at}: score {s} outside 0 … {points}"));
            }
        }

        if (scores.Max() != points)
        {
            throw Fail(Inv($"{at}: the best score is {scores.Max()}, the item has {points} points"));
        }
    }

    private void CheckPoints(decimal points, string at)
    {
        if (points < 0 || points % 0.5m != 0)
        {
            throw Fail(Inv($"{at}: {points} is not a score in 0.5 steps"));
        }
    }

    private string Required(string? value, string what) =>
        string.IsNullOrWhiteSpace(value) ? throw Fail($"{what} is missing") : value;

    private RubricException Fail(string message) => new(rubricId is null ? $"{file}: {message}" : $"{file} ({rubricId}): {message}");

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
