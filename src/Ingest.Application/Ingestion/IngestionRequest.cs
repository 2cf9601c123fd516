using Ingest.Core.Periods;
using Ingest.Data.Runs;

namespace Ingest.Application.Ingestion;

/// <summary>What to ingest.</summary>
/// <param name="Trigger">schedule, cli or api.</param>
/// <param name="Cycle">An evaluation cycle: every period it needs is read.</param>
/// <param name="Period">Or one explicit period.</param>
/// <param name="Counties">Counties to read; null or empty for every county of the region.</param>
/// <param name="Connectors">Connectors to use; null or empty for all.</param>
/// <param name="DedupeKey">Makes a repeated request return the same run.</param>
/// <param name="Runner">The process that runs the units itself (the command line), or null for the job workers.</param>
/// <param name="Cycles">More cycles read in the same run (a night): a period two cycles share is one unit, read once.</param>
public sealed record IngestionRequest(
    string Trigger,
    EvaluationCycle? Cycle,
    Period? Period,
    IReadOnlyList<string>? Counties = null,
    IReadOnlyList<string>? Connectors = null,
    string? DedupeKey = null,
    string? Runner = null,
    IReadOnlyList<EvaluationCycle>? Cycles = null)
{
    /// <summary>One cycle (county:2024), or several joined by + (county:2024+school:2025): one night that reads a period they share once.</summary>
    /// <exception cref="FormatException">A cycle is malformed.</exception>
    public static EvaluationCycle[] ParseCycles(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Split('+', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(EvaluationCycle.Parse).Distinct().ToArray() is { Length: > 0 } cycles
            ? cycles
            : throw new FormatException($"“{text}”没有给出评价周期（如 county:2024，或 county:2024+school:2025）");
    }

    /// <summary>Every cycle the request names, in order, each once.</summary>
    public IReadOnlyList<EvaluationCycle> AllCycles => (Cycle is null ? [] : new[] { Cycle }).Concat(Cycles ?? []).Distinct().ToArray();
}

/// <summary>A run and the units it fans out to.</summary>
public sealed record PlannedRun(long RunId, IReadOnlyList<UnitKey> Units, IReadOnlyList<string> Periods, IReadOnlyList<string> Counties);

/// <summary>The request cannot be planned (unknown county or connector, nothing to read); the message says why.</summary>
public sealed class IngestionPlanException(string message) : Exception(message);
