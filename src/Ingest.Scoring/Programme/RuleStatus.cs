namespace Ingest.Scoring.Programme;

/// <summary>Whether a county meets a programme rule.</summary>
public enum RuleStatus
{
    /// <summary>The rule is met, whatever the undecided schools turn out to be.</summary>
    Met,

    /// <summary>The rule is broken, whatever the undecided schools turn out to be.</summary>
    Breached,

    /// <summary>It depends on schools whose deciding column is not complete yet.</summary>
    Undecided,
}
