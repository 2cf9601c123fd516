namespace Ingest.Host.Documents;

/// <summary>Every browser of this host is busy and the queue is full or waited too long: try again after <see cref="RetryAfter"/>.</summary>
public sealed class PrinterBusyException(TimeSpan retryAfter)
    : Exception($"打印 PDF 的人数过多，请 {(int)Math.Ceiling(retryAfter.TotalSeconds)} 秒后再试")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>The PDF could not be printed on this host (no browser, a browser that failed or ran past its time); the message says which.</summary>
public sealed class PrintFailedException(string message) : Exception(message);
