using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;

namespace Ingest.Host.Scoring.Forms;

/// <summary>Where the PDF printer is (<c>Ingest:Pdf</c>).</summary>
public sealed class PdfOptions
{
    public const string Section = "Ingest:Pdf";

    /// <summary>The Chromium executable; empty: <c>/usr/bin/chromium</c>, then <c>chromium</c> on the PATH.</summary>
    public string? Chromium { get; set; }

    /// <summary>How long one printout may take.</summary>
    [Range(5, 600)]
    public int TimeoutSeconds { get; set; } = 60;
}

/// <summary>
/// Prints an HTML page with a print stylesheet to PDF with headless Chromium (docs/decisions/0007): the browser lays
/// out Chinese text with the machine's CJK fonts as a browser shows it, and nothing is drawn by hand. Each printout has
/// its own temporary folder and browser profile, so hosts and requests never share one.
/// </summary>
public sealed class PdfPrinter(IOptions<PdfOptions> options)
{
    public async Task<byte[]> PrintAsync(string html, CancellationToken ct)
    {
        var chromium = Locate(options.Value.Chromium)
            ?? throw new Ingest.Scoring.Sheets.ScoresheetException("导出 PDF 需要 Chromium 浏览器：请安装（apt-get install chromium fonts-noto-cjk）或在 Ingest:Pdf:Chromium 中设置其路径");
        var folder = Directory.CreateTempSubdirectory("ingest-pdf-");
        try
        {
            var page = Path.Combine(folder.FullName, "form.html");
            var pdf = Path.Combine(folder.FullName, "form.pdf");
            await File.WriteAllTextAsync(page, html, Encoding.UTF8, ct);
            var info = new ProcessStartInfo(chromium) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--no-pdf-header-footer", "--print-to-pdf-no-header",
                $"--user-data-dir={Path.Combine(folder.FullName, "profile")}", $"--print-to-pdf={pdf}", new Uri(page).AbsoluteUri,
            })
            {
                info.ArgumentList.Add(a);
            }

            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync(ct);
            _ = process.StandardOutput.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw new Ingest.Scoring.Sheets.ScoresheetException($"Chromium 打印 PDF 超过 {options.Value.TimeoutSeconds} 秒未完成");
            }

            if (!File.Exists(pdf) || new FileInfo(pdf).Length == 0)
            {
                var detail = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? string.Empty;
                throw new Ingest.Scoring.Sheets.ScoresheetException($"Chromium 未能打印 PDF（退出码 {process.ExitCode}）：{detail}");
            }

            return await File.ReadAllBytesAsync(pdf, ct);
        }
        finally
        {
            try
            {
                folder.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A browser helper may still hold its profile for a moment; the temporary folder is cleaned by the system.
            }
        }
    }

    /// <summary>Text made safe inside HTML.</summary>
    public static string Html(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    private static string? Locate(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured) ? configured : null;
        }

        if (File.Exists("/usr/bin/chromium"))
        {
            return "/usr/bin/chromium";
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .SelectMany(p => new[] { Path.Combine(p, "chromium"), Path.Combine(p, "chromium-browser") })
            .FirstOrDefault(File.Exists);
    }
}
