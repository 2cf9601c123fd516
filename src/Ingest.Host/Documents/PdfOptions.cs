using System.ComponentModel.DataAnnotations;

namespace Ingest.Host.Documents;

/// <summary>Where the PDF printer is and how much it may do at once (<c>Ingest:Pdf</c>).</summary>
public sealed class PdfOptions
{
    public const string Section = "Ingest:Pdf";

    /// <summary>The Chromium executable; empty: <c>/usr/bin/chromium</c>, then <c>chromium</c> on the PATH.</summary>
    public string? Chromium { get; set; }

    /// <summary>How long one printout may take.</summary>
    [Range(5, 600)]
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>Browsers printing at once on this host. Default 2: each takes a core and a few hundred MB.</summary>
    [Range(1, 32)]
    public int Printers { get; set; } = 2;

    /// <summary>Printouts waiting for a browser on this host; one more is refused at once (503).</summary>
    [Range(0, 1000)]
    public int Queue { get; set; } = 8;

    /// <summary>How long a printout waits for a browser before it is refused (503 with Retry-After).</summary>
    [Range(1, 600)]
    public int QueueSeconds { get; set; } = 30;

    /// <summary>
    /// Run Chromium without its sandbox. Off by default; a service running as root cannot use the sandbox, so Chromium
    /// is started without it there whatever this says (and the log says so once).
    /// </summary>
    public bool NoSandbox { get; set; }
}
