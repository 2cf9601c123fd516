using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Ingest.Application.Year;

/// <summary>
/// The deadlines of the rating year (第十一条), under <c>Rating:Year</c>: each a month and day (<c>03-10</c>) that holds
/// every year, and <see cref="Years"/> to move a stage in one year (<c>"2025": { "CountyDecision": "2025-09-15" }</c>). A
/// deadline passed warns on the pages and in <c>status</c>; it blocks nothing.
/// </summary>
public sealed class RatingYearOptions : IValidatableObject
{
    public const string Section = "Rating:Year";

    /// <summary>学校自评与申请: 每年3月上旬 (第十一条（一）).</summary>
    public string SelfAssessment { get; set; } = "03-10";

    /// <summary>县级认定二、三星级与备案，报送四星级申请: 8月底前 (第十一条（二）).</summary>
    public string CountyDecision { get; set; } = "08-31";

    /// <summary>自治区认定: 每年9月上旬 (第十一条（三）).</summary>
    public string RegionDecision { get; set; } = "09-10";

    /// <summary>授牌: the measures give no date; the end of the year unless set.</summary>
    public string Award { get; set; } = "12-31";

    /// <summary>One year's own dates (yyyy-MM-dd), by stage name as above.</summary>
    public Dictionary<string, Dictionary<string, string>> Years { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, text) in new[] { (nameof(SelfAssessment), SelfAssessment), (nameof(CountyDecision), CountyDecision), (nameof(RegionDecision), RegionDecision), (nameof(Award), Award) })
        {
            if (!DateOnly.TryParseExact($"2024-{text}", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                yield return new ValidationResult($"{Section}:{name} “{text}” 应写作 月-日，例如 03-10", [name]);
            }
        }

        foreach (var (year, stages) in Years)
        {
            foreach (var (name, text) in stages)
            {
                if (YearStages.Keys.All(k => k != name) || !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                    || !int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    yield return new ValidationResult($"{Section}:Years:{year}:{name} “{text}” 无法识别：阶段为 {string.Join("、", YearStages.Keys)}，日期写作 2025-03-10", [nameof(Years)]);
                }
            }
        }
    }
}

/// <summary>A stage of the rating year with its deadline.</summary>
/// <param name="Key">The setting's name (SelfAssessment, CountyDecision, RegionDecision, Award).</param>
public sealed record YearStage(string Key, string Name, string Basis, DateOnly Deadline)
{
    /// <summary>2025年3月10日.</summary>
    public string DeadlineText => Deadline.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);
}

/// <summary>The stages of a year as the settings date them.</summary>
public static class YearStages
{
    public static readonly IReadOnlyList<string> Keys = [nameof(RatingYearOptions.SelfAssessment), nameof(RatingYearOptions.CountyDecision),
        nameof(RatingYearOptions.RegionDecision), nameof(RatingYearOptions.Award)];

    public static IReadOnlyList<YearStage> Of(RatingYearOptions options, int year)
    {
        ArgumentNullException.ThrowIfNull(options);
        var own = options.Years.GetValueOrDefault(year.ToString(CultureInfo.InvariantCulture)) ?? [];
        DateOnly Date(string key, string monthDay) => own.TryGetValue(key, out var d)
            ? DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture)
            : DateOnly.ParseExact($"{year:D4}-{monthDay}", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return
        [
            new(Keys[0], "学校自评与申请", "第十一条（一）：每年3月上旬", Date(Keys[0], options.SelfAssessment)),
            new(Keys[1], "县级认定与备案（报送四星级申请）", "第十一条（二）：8月底前", Date(Keys[1], options.CountyDecision)),
            new(Keys[2], "自治区认定", "第十一条（三）：每年9月上旬", Date(Keys[2], options.RegionDecision)),
            new(Keys[3], "授牌", "第十条、第十一条", Date(Keys[3], options.Award)),
        ];
    }
}
