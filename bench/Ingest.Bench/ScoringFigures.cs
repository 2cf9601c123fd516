using System.Globalization;

namespace Ingest.Bench;

/// <summary>What scoring every sheet of a shape took: sheets, seconds, lines written, and the most heap held at once.</summary>
internal sealed record ScoringFigures(string Label, int Sheets, double Seconds, int LinesWritten, int LinesUnchanged, double PeakMiB)
{
    public double SheetsPerSecond => Sheets / Seconds;

    public void Print() => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {Label,-44} {Sheets,8:N0} sheets in {Seconds,7:F2} s = {SheetsPerSecond,8:N0} sheets/s; lines written {LinesWritten:N0}, unchanged {LinesUnchanged:N0}; peak heap {PeakMiB,6:F0} MiB"));
}
