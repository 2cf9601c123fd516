using Ingest.Core.Sheets;

namespace Ingest.Scoring.Sheets;

/// <summary>The facts a scoresheet reads: current values by organisation, indicator and period.</summary>
public interface IFactSource
{
    /// <summary>The fact, or null when none is stored.</summary>
    FactEvidence? Find(string orgCode, string indicator, string period);
}

/// <summary>An in-memory fact source over a list of facts (one per organisation, indicator and period).</summary>
public sealed class FactSet(IEnumerable<FactEvidence> facts) : IFactSource
{
    private readonly Dictionary<(string, string, string), FactEvidence> byKey =
        facts.GroupBy(f => (f.OrgCode, f.Indicator, f.Period)).ToDictionary(g => g.Key, g => g.OrderByDescending(f => f.FetchedAt).First());

    public FactEvidence? Find(string orgCode, string indicator, string period) => byKey.GetValueOrDefault((orgCode, indicator, period));
}
