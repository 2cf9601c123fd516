using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Ingest.Data.Scoresheets;
using Microsoft.Extensions.Options;

namespace Ingest.Host.Documents;

/// <summary>
/// Prints an HTML page with a print stylesheet to PDF with headless Chromium (docs/decisions/0007): the browser lays
/// out Chinese text with the machine's CJK fonts as a browser shows it, and nothing is drawn by hand. Each printout has
/// its own temporary folder and browser profile, so hosts and requests never share one. At most
/// <see cref="PdfOptions.Printers"/> browsers run at once on a host, a few more requests wait their turn, and the rest
/// are refused; a browser whose requester went away or that runs past the timeout is killed with its helpers. What was
/// printed is kept by its digest (<see cref="PrintedFormStore"/>), so the same form is printed once whoever asks again.
/// </summary>
public sealed class PdfPrinter(IOptions<PdfOptions> options, PrintedFormStore printed, ILogger<PdfPrinter> logger) : IDisposable
{
    private readonly SemaphoreSlim browsers = new(options.Value.Printers, options.Value.Printers);
    private int waiting;
    private int warnedSandbox;

    /// <summary>Browsers printing now on this host (for tests and metrics).</summary>
    public int Busy => options.Value.Printers - browsers.CurrentCount;

    /// <exception cref="PrinterBusyException">Every browser is busy and the request could not wait.</exception>
    public async Task<byte[]> PrintAsync(string html, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(html);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(html));
        if (await printed.FindAsync(digest, ct) is { } kept)
        {
            return kept;
        }

        var settings = options.Value;
        var retryAfter = TimeSpan.FromSeconds(Math.Max(5, settings.TimeoutSeconds / 4));
        if (Interlocked.Increment(ref waiting) > settings.Printers + settings.Queue)
        {
            Interlocked.Decrement(ref waiting);
            throw new PrinterBusyException(retryAfter);
        }

        try
        {
            if (!await browsers.WaitAsync(TimeSpan.FromSeconds(settings.QueueSeconds), ct))
            {
                throw new PrinterBusyException(retryAfter);
            }

            try
            {
                var pdf = await PrintHereAsync(html, settings, ct);
                await printed.KeepAsync(digest, pdf, CancellationToken.None);
                return pdf;
            }
            finally
            {
                browsers.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
        }
    }

    private async Task<byte[]> PrintHereAsync(string html, PdfOptions settings, CancellationToken ct)
    {
        var chromium = Locate(settings.Chromium)
            ?? throw new PrintFailedException("导出 PDF 需要 Chromium 浏览器：请安装（apt-get install chromium fonts-noto-cjk）或在 Ingest:Pdf:Chromium 中设置其路径");
        var folder = Directory.CreateTempSubdirectory("ingest-pdf-");
        try
        {
            var page = Path.Combine(folder.FullName, "form.html");
            var pdf = Path.Combine(folder.FullName, "form.pdf");
            await File.WriteAllTextAsync(page, html, Encoding.UTF8, ct);
            var info = new ProcessStartInfo(chromium) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in Arguments(settings, folder.FullName, pdf, page))
            {
                info.ArgumentList.Add(a);
            }

            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // The requester went away, or the browser ran past its time: either way it stops now, with its helpers.
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                ct.ThrowIfCancellationRequested();
                throw new PrintFailedException($"Chromium 打印 PDF 超过 {settings.TimeoutSeconds} 秒未完成");
            }

            if (!File.Exists(pdf) || new FileInfo(pdf).Length == 0)
            {
                var detail = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? string.Empty;
                throw new PrintFailedException($"Chromium 未能打印 PDF（退出码 {process.ExitCode}）：{detail}");
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

    private List<string> Arguments(PdfOptions settings, string folder, string pdf, string page)
    {
        List<string> arguments =
        [
            "--headless", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-extensions",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--no-pdf-header-footer", "--print-to-pdf-no-header",
            // The form is the service's own HTML, whose policy runs no script and loads nothing; and the browser reaches no address.
            "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
            $"--user-data-dir={Path.Combine(folder, "profile")}", $"--print-to-pdf={pdf}", new Uri(page).AbsoluteUri,
        ];
        var root = Environment.UserName == "root";
        if (settings.NoSandbox || root)
        {
            if (root && !settings.NoSandbox && Interlocked.Exchange(ref warnedSandbox, 1) == 0)
            {
                logger.LogWarning("The service runs as root, so Chromium prints without its sandbox: run the service as an ordinary user");
            }

            arguments.Insert(1, "--no-sandbox");
        }

        return arguments;
    }

    /// <summary>Text made safe inside HTML.</summary>
    public static string Html(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    public void Dispose() => browsers.Dispose();

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
