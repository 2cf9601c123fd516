namespace Ingest.Host.Documents;

/// <summary>Every browser of this host is busy and the queue is full or waited too long: try again after <see cref="RetryAfter"/>.</summary>
public sealed class PrinterBusyException(TimeSpan retryAfter)
    : Ingest.Core.Sheets.ScoresheetException($"打印 PDF 的人数过多，请 {(int)Math.Ceiling(retryAfter.TotalSeconds)} 秒后再试")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
