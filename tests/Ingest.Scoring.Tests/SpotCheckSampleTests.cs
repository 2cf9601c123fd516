using System.Security.Cryptography;
using System.Text;
using Ingest.Core.Oversight;
using Ingest.Scoring.Oversight;

namespace Ingest.Scoring.Tests;

/// <summary>The spot-check sample of 第十五条（3）: stratified by 学段 and drawn again the same from its seed.</summary>
public class SpotCheckSampleTests
{
    private static readonly SpotCheckCandidate[] County =
    [
        .. Enumerable.Range(1, 6).Select(i => new SpotCheckCandidate($"21642400{i:00}", $"小学{i}", "小学", i % 2 == 0 ? 3 : 2)),
        .. Enumerable.Range(11, 3).Select(i => new SpotCheckCandidate($"21642400{i:00}", $"初中{i}", "初级中学", 2)),
        new SpotCheckCandidate("2164240021", "教学点", "教学点", 2),
    ];

    [Fact]
    public void Each_stage_gets_one_and_the_rest_goes_by_size_with_the_largest_remainder()
    {
        // 5 of 10: one each (3), then 2 shared over the 5 小学 and 2 初级中学 left: 1.43 and 0.57, so 1 and 0, and the remainder to 初级中学.
        var sample = SpotCheckSample.Draw(County, seed: 42, size: 5);
        sample.GroupBy(s => s.Stratum).ToDictionary(g => g.Key, g => g.Count())
            .ShouldBe(new Dictionary<string, int> { ["小学"] = 2, ["初级中学"] = 2, ["教学点"] = 1 }, ignoreOrder: true);
    }

    [Fact]
    public void The_same_seed_draws_the_same_schools_whatever_the_order_of_the_list_and_within_a_stage_by_the_hash_of_seed_and_code()
    {
        var first = SpotCheckSample.Draw(County, 20261203, 5).Select(s => s.Code).ToArray();
        SpotCheckSample.Draw([.. County.Reverse()], 20261203, 5).Select(s => s.Code).ShouldBe(first);

        // What an auditor does by hand: SHA-256 of "20261203:学校标识码", smallest first, within 小学.
        var primary = County.Where(c => c.Stratum == "小学")
            .OrderBy(c => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("20261203:" + c.Code))), StringComparer.Ordinal).Take(2).Select(c => c.Code);
        first.Where(c => County.Single(x => x.Code == c).Stratum == "小学").ShouldBe(primary, ignoreOrder: true);

        var seeds = Enumerable.Range(1, 20).Select(seed => string.Join(",", SpotCheckSample.Draw(County, seed, 5).Select(s => s.Code))).Distinct().Count();
        seeds.ShouldBeGreaterThan(1, "another seed draws other schools");
    }

    [Fact]
    public void A_sample_as_large_as_the_list_takes_every_school_and_a_smaller_one_than_the_stages_takes_no_stage_twice()
    {
        SpotCheckSample.Draw(County, 7, 50).Count.ShouldBe(County.Length);
        var two = SpotCheckSample.Draw(County, 7, 2);
        two.Count.ShouldBe(2);
        two.Select(s => s.Stratum).Distinct().Count().ShouldBe(2);
    }

    [Theory]
    [InlineData(3, 3, SpotCheckRule.NotLower, true)]
    [InlineData(3, 4, SpotCheckRule.NotLower, true)]
    [InlineData(3, 2, SpotCheckRule.NotLower, false)]
    [InlineData(3, 4, SpotCheckRule.Same, false)]
    [InlineData(2, 2, SpotCheckRule.Same, true)]
    public void A_check_passes_by_the_rule_in_force(int bureau, int department, SpotCheckRule rule, bool passes) =>
        SpotCheckSample.Passes(bureau, department, rule).ShouldBe(passes);
}
