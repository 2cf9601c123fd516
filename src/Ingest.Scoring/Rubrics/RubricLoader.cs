using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ingest.Core.Indicators;
using Ingest.Core.Periods;

namespace Ingest.Scoring.Rubrics;

/// <summary>A rubric file that cannot be used; the message names the file and the item.</summary>
public sealed class RubricException(string message) : Exception(message);

/// <summary>
/// Reads a rubric file and validates it: points add up to each group, area and the rubric total; every fact it names
/// is in the indicator catalogue; every rule is complete and can give the item's full points and no more. The first
/// problem fails the load with a message naming the item.
/// </summary>
public static class RubricLoader
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Parses and validates <paramref name="json"/>; <paramref name="name"/> (the file) prefixes every error.</summary>
    /// <exception cref="RubricException">The file is not valid JSON of the expected shape, or the rubric is inconsistent.</exception>
    public static Rubric Parse(string json, string name)
    {
        RubricDto dto;
        try
        {
            dto = JsonSerializer.Deserialize<RubricDto>(json, Json) ?? throw new RubricException($"{name}: the file is empty.");
        }
        catch (JsonException e)
        {
            throw new RubricException($"{name}: not a rubric file ({e.Path}, line {e.LineNumber + 1}): {e.Message}");
        }

        return new Builder(name).Build(dto);
    }

    private sealed class Builder(string file)
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
            return new RubricItem(number, area, group, text, points, veto, rule);
        }

        private Rule BuildRule(RuleDto dto, decimal points, string at, bool allowParts)
        {
            switch (dto.Kind)
            {
                case "entered":
                    return new EnteredRule();
                case "threshold":
                {
                    var score = dto.Score ?? points;
                    if (score != points)
                    {
                        throw Fail(Inv($"{at}: a threshold gives the item's {points} points, not {score}"));
                    }

                    return new ThresholdRule(FactInputOf(dto.Input, at), dto.Min ?? throw Fail($"{at}: threshold without min"), score);
                }

                case "bands":
                {
                    var bands = (dto.Bands ?? []).Select(b => new Band(b.Min, b.Score)).ToArray();
                    if (bands.Length == 0)
                    {
                        throw Fail($"{at}: bands without any band");
                    }

                    for (var i = 1; i < bands.Length; i++)
                    {
                        if (bands[i].Min >= bands[i - 1].Min || bands[i].Score > bands[i - 1].Score)
                        {
                            throw Fail($"{at}: bands must be listed highest first");
                        }
                    }

                    var otherwise = dto.Otherwise ?? throw Fail($"{at}: bands without otherwise (the score below the lowest band)");
                    ScoresWithin([.. bands.Select(b => b.Score), otherwise], points, at);
                    return new BandsRule(InputOf(dto.Input, at), bands, otherwise);
                }

                case "vsRegion":
                {
                    var higher = dto.Higher ?? throw Fail($"{at}: vsRegion without higher");
                    // No equal: the item names only 高于全区平均水平 and reads strictly above the region's value.
                    var equal = dto.Equal;
                    var lower = dto.Lower ?? throw Fail($"{at}: vsRegion without lower");
                    ScoresWithin([higher, equal ?? lower, lower], points, at);
                    return new VsRegionRule(FactInputOf(dto.Input, at), higher, equal, lower);
                }

                case "counts":
                {
                    var counts = (dto.Counts ?? []).Select(c => new CountSpec(
                        Required(c.Key, $"{at}: a count's key"), Required(c.Label, $"{at}: count {c.Key}: label"),
                        c.Each ?? throw Fail($"{at}: count {c.Key} without each"), c.Once ?? false)).ToArray();
                    if (counts.Length == 0)
                    {
                        throw Fail($"{at}: counts without any count");
                    }

                    if (counts.Select(c => c.Key).Distinct(StringComparer.Ordinal).Count() != counts.Length)
                    {
                        throw Fail($"{at}: two counts share a key");
                    }

                    foreach (var c in counts)
                    {
                        if (c.Each <= 0)
                        {
                            throw Fail($"{at}: count {c.Key} is worth {c.Each}");
                        }

                        CheckPoints(c.Each, $"{at}: count {c.Key}");
                    }

                    var cap = dto.Cap ?? points;
                    if (cap != points)
                    {
                        throw Fail(Inv($"{at}: cap {cap} differs from the item's {points} points"));
                    }

                    return new CountsRule(counts, cap);
                }

                case "flag":
                    return new FlagRule(Required(dto.Label, $"{at}: flag label"), dto.OverridesArea ?? false);
                case "everyUnitSchool":
                    return new EveryUnitSchoolRule(FactInputOf(dto.Input, at), Required(dto.Failing, $"{at}: failing"), dto.Unknown, dto.ConfirmOnSite);
                case "coversSubjects":
                    return new CoversSubjectsRule(FactInputOf(dto.Input, at));
                case "parts" when allowParts:
                {
                    var parts = (dto.Parts ?? []).Select(p =>
                    {
                        var key = Required(p.Key, $"{at}: a part's key");
                        var partPoints = p.Points ?? throw Fail($"{at}, part {key}: no points");
                        CheckPoints(partPoints, $"{at}, part {key}");
                        var rule = BuildRule(p.Rule ?? throw Fail($"{at}, part {key}: no rule"), partPoints, $"{at}, part {key}", allowParts: false);
                        return new RulePart(key, Required(p.Label, $"{at}, part {key}: label"), partPoints, rule);
                    }).ToArray();
                    if (parts.Length < 2)
                    {
                        throw Fail($"{at}: parts needs at least two parts");
                    }

                    if (parts.Select(p => p.Key).Distinct(StringComparer.Ordinal).Count() != parts.Length)
                    {
                        throw Fail($"{at}: two parts share a key");
                    }

                    var sum = parts.Sum(p => p.Points);
                    if (sum != points)
                    {
                        throw Fail(Inv($"{at}: parts add up to {sum} points, the item has {points}"));
                    }

                    return new PartsRule(parts);
                }

                case "parts":
                    throw Fail($"{at}: a part cannot itself have parts");
                case null:
                    throw Fail($"{at}: rule without kind");
                default:
                    throw Fail($"{at}: unknown rule kind '{dto.Kind}'");
            }
        }

        private RuleInput InputOf(InputDto? dto, string at) => dto switch
        {
            null => throw Fail($"{at}: rule without input"),
            { Fact: not null, Count: not null } => throw Fail($"{at}: input names both a fact and a count"),
            { Count: { } key } => new CountInput(key, Required(dto.Label, $"{at}: count {key}: label")),
            _ => FactInputOf(dto, at),
        };

        private FactInput FactInputOf(InputDto? dto, string at)
        {
            var code = Required(dto?.Fact, $"{at}: input fact");
            if (IndicatorCatalogue.Find(code) is null)
            {
                throw Fail($"{at}: fact '{code}' is not in the indicator catalogue");
            }

            var period = dto!.Period switch
            {
                "calendarYear" => PeriodRole.CalendarYear,
                "schoolYear" => PeriodRole.SchoolYear,
                "export" => PeriodRole.Export,
                var p => throw Fail($"{at}: period '{p}' is not calendarYear, schoolYear or export"),
            };
            var measure = dto.Measure switch
            {
                null or "value" => Measure.Value,
                "ratio" => Measure.Ratio,
                var m => throw Fail($"{at}: measure '{m}' is not value or ratio"),
            };
            return new FactInput(code, period, measure);
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

    private sealed record RubricDto(string? Id, string? Kind, string? Title, string? Source, decimal? Total,
        IReadOnlyList<StarLevelDto>? StarLevels, int? VetoFromStars, IReadOnlyList<AreaDto>? Areas, string? Note);

    private sealed record StarLevelDto(int Stars, decimal Min);

    private sealed record AreaDto(string? Code, string? Name, decimal? Points, bool? Bonus, string? Note, IReadOnlyList<GroupDto>? Groups);

    private sealed record GroupDto(string? Name, decimal? Points, IReadOnlyList<ItemDto>? Items);

    private sealed record ItemDto(string? Number, string? Text, decimal? Points, bool? Veto, RuleDto? Rule);

    private sealed record RuleDto(string? Kind, InputDto? Input, decimal? Min, decimal? Score, IReadOnlyList<BandDto>? Bands, decimal? Otherwise,
        decimal? Higher, decimal? Equal, decimal? Lower, IReadOnlyList<CountDto>? Counts, decimal? Cap, string? Label, bool? OverridesArea,
        string? Failing, string? Unknown, string? ConfirmOnSite, IReadOnlyList<PartDto>? Parts);

    private sealed record InputDto(string? Fact, string? Period, string? Measure, string? Count, string? Label);

    private sealed record BandDto(decimal Min, decimal Score);

    private sealed record CountDto(string? Key, string? Label, decimal? Each, bool? Once);

    private sealed record PartDto(string? Key, string? Label, decimal? Points, RuleDto? Rule);
}
