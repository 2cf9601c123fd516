using System.Globalization;
using Ingest.Application.UseCases;
using Ingest.Core.Periods;

namespace Ingest.Application.Rating;

/// <summary>
/// The cycles the service rates: from the year the measures were issued (宁教发〔2022〕33号) to the year after the current
/// one, whose sheets a county may prepare ahead. A cycle outside them (school:2099) names nothing to open.
/// </summary>
public static class RatingCycles
{
    /// <summary>The first year of the measures.</summary>
    public const int First = 2022;

    /// <summary>Why no sheet of <paramref name="cycle"/> can exist at <paramref name="now"/>, or null.</summary>
    public static Refusal? Refusal(EvaluationCycle cycle, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        var last = now.ToOffset(TimeSpan.FromHours(8)).Year + 1;
        return cycle.Year >= First && cycle.Year <= last ? null
            : UseCases.Refusal.NotFound("没有这个评定年度",
                string.Create(CultureInfo.InvariantCulture, $"没有 {cycle.Year} 年度的评定：评定年度为 {First}～{last} 年"));
    }

    /// <summary>The cycle of <paramref name="kind"/> being rated: the schedule's first of that kind, else the year it is now in Ningxia.</summary>
    public static EvaluationCycle Current(IEnumerable<string> scheduled, RubricKind kind, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(scheduled);
        foreach (var text in scheduled)
        {
            var cycle = EvaluationCycle.Parse(text);
            if (cycle.Rubric == kind)
            {
                return cycle;
            }
        }

        return new EvaluationCycle(kind, now.ToOffset(TimeSpan.FromHours(8)).Year);
    }
}
