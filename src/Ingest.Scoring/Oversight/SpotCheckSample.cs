using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ingest.Core.Oversight;

namespace Ingest.Scoring.Oversight;

/// <summary>What a spot check compares: the department's level not lower than the bureau's (default), or the same level.</summary>
public enum SpotCheckRule
{
    /// <summary>合格 when the 教育厅评定 level is not lower than the bureau's.</summary>
    NotLower,

    /// <summary>合格 only when the 教育厅评定 level is the bureau's.</summary>
    Same,
}

/// <summary>
/// The spot-check sample of 第十五条（3）, drawn so that anyone holding the seed and the list can draw it again: the size
/// is shared among the 学段 in proportion to their schools (each 学段 at least one when the size allows, the rest by largest
/// remainder), and within a 学段 the schools are taken in the order of SHA-256 of "seed:学校标识码".
/// </summary>
public static class SpotCheckSample
{
    public static IReadOnlyList<SpotCheckCandidate> Draw(IReadOnlyList<SpotCheckCandidate> population, long seed, int size)
    {
        ArgumentNullException.ThrowIfNull(population);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        var strata = population.GroupBy(c => c.Stratum, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, Schools: g.OrderBy(c => Key(seed, c.Code), StringComparer.Ordinal).ToArray())).ToArray();
        if (size >= population.Count)
        {
            return strata.SelectMany(s => s.Schools).ToArray();
        }

        var quota = strata.ToDictionary(s => s.Key, _ => 0, StringComparer.Ordinal);
        var left = size;
        if (size >= strata.Length)
        {
            foreach (var s in strata)
            {
                quota[s.Key] = 1;
            }

            left -= strata.Length;
        }

        // The rest in proportion to the schools not yet taken, by largest remainder; ties to the 学段 first in order.
        var rest = strata.Sum(s => s.Schools.Length - quota[s.Key]);
        var shares = strata.Select(s => (s.Key, Exact: rest == 0 ? 0m : (decimal)left * (s.Schools.Length - quota[s.Key]) / rest)).ToArray();
        foreach (var (key, exact) in shares)
        {
            quota[key] += (int)Math.Floor(exact);
        }

        var remaining = size - quota.Values.Sum();
        foreach (var (key, _) in shares.OrderByDescending(s => s.Exact - Math.Floor(s.Exact)).Take(remaining))
        {
            quota[key]++;
        }

        return strata.SelectMany(s => s.Schools.Take(quota[s.Key])).ToArray();
    }

    /// <summary>合格 or 不合格 of one check by <paramref name="rule"/>.</summary>
    public static bool Passes(int bureauStars, int departmentStars, SpotCheckRule rule) =>
        rule == SpotCheckRule.Same ? departmentStars == bureauStars : departmentStars >= bureauStars;

    /// <summary>The order of a school within its 学段 for <paramref name="seed"/>: lowercase hex of SHA-256 of "seed:code" in UTF-8.</summary>
    public static string Key(long seed, string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed.ToString(CultureInfo.InvariantCulture) + ":" + code)));
}
