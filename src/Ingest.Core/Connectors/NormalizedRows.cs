using Ingest.Core.Facts;

namespace Ingest.Core.Connectors;

/// <summary>What a stream normalised to: its facts, and the rows it could not use with why.</summary>
/// <param name="Facts">Facts for the county's schools and the county.</param>
/// <param name="Rejected">Rows left out.</param>
/// <param name="Notes">What an operator should know (rows left out and why, schools missing from the directory).</param>
public sealed record NormalizedRows(IReadOnlyList<IndicatorFact> Facts, int Rejected, IReadOnlyList<string> Notes);
