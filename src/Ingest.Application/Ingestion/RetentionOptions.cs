using System.ComponentModel.DataAnnotations;

namespace Ingest.Application.Ingestion;

/// <summary>How long the raw archive keeps upstream answers (section <c>Ingest:Retention</c>); the fact history is kept whole.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Ingest:Retention";

    /// <summary>Days an archived answer is kept (the evidence behind a figure, and re-normalisation). Default 365.</summary>
    [Range(1, 36500, ErrorMessage = "Ingest:Retention:RawPageDays 应在 1 到 36500 之间")]
    public int RawPageDays { get; set; } = 365;

    /// <summary>Pages deleted per short transaction. Default 5000.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Ingest:Retention:BatchSize 应在 1 到 1000000 之间")]
    public int BatchSize { get; set; } = 5000;
}
