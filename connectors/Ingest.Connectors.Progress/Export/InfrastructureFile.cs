namespace Ingest.Connectors.Progress.Export;

/// <summary>What the file held: the school lines that parsed, the lines that did not, and its 合计 line.</summary>
/// <param name="HeaderError">Set when the header does not match the contract; nothing else is read then.</param>
public sealed record InfrastructureFile(
    IReadOnlyList<InfrastructureRecord> Records,
    IReadOnlyList<CsvProblem> Problems,
    InfrastructureRecord? Totals,
    string? HeaderError,
    int DataLines);

/// <summary>A line of the file that could not be used, with the field at fault when there is one.</summary>
public sealed record CsvProblem(long Line, string? Field, string Message)
{
    public override string ToString() => Field is null ? $"line {Line}: {Message}" : $"line {Line}, {Field}: {Message}";
}
