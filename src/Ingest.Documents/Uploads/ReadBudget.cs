using System.Diagnostics;
using System.Globalization;
using static Ingest.Documents.Uploads.ReadBudgetText;

namespace Ingest.Documents.Uploads;

/// <summary>What reading one workbook may still use: decompressed bytes, cells and time, shared by its parts.</summary>
internal sealed class ReadBudget(UploadLimits limits)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private long bytes;
    private int items;

    public UploadLimits Limits { get; } = limits;

    public void Take(int n)
    {
        bytes += n;
        if (bytes > Limits.MaxUncompressedBytes)
        {
            throw new UploadRefusedException($"解压后超过 {Megabytes(Limits.MaxUncompressedBytes)}，不像是填好的表格（可能是压缩炸弹）");
        }

        CheckTime();
    }

    public void Count(int n)
    {
        items += n;
        if (items > Limits.MaxCells)
        {
            throw new UploadRefusedException($"单元格超过 {Limits.MaxCells} 个，超过上限");
        }

        if ((items & 0xFFF) == 0)
        {
            CheckTime();
        }
    }

    private void CheckTime()
    {
        if (clock.Elapsed > Limits.MaxReadTime)
        {
            throw new UploadRefusedException($"读取超过 {Limits.MaxReadTime.TotalSeconds:0} 秒仍未读完，已停止");
        }
    }
}

/// <summary>A part's decompressed bytes, counted against the workbook's budget as they are read.</summary>
internal sealed class BudgetStream(Stream inner, ReadBudget budget) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        budget.Take(n);
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>Sizes as the refusals write them.</summary>
internal static class ReadBudgetText
{
    internal static string Megabytes(long bytes) => (bytes / 1024d / 1024d).ToString("0.#", CultureInfo.InvariantCulture) + " MB";
}
