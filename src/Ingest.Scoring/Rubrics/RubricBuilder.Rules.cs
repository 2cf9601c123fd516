using Ingest.Core.Indicators;

namespace Ingest.Scoring.Rubrics;

internal sealed partial class RubricBuilder
{
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
}
