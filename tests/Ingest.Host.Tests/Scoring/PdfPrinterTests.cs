using System.Net;
using System.Net.Http.Json;
using Ingest.Host.Scoring;
using Ingest.Testing;
using static Ingest.Host.Tests.Scoring.ScoresheetApiTests;

namespace Ingest.Host.Tests.Scoring;

/// <summary>
/// The PDF printer held to its bounds, with a stand-in for Chromium (a script the setting names) that the test can
/// watch: how many browsers run, what happens to the one whose requester left, and what is printed twice.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PdfPrinterTests : IDisposable
{
    private const string School = "2164240001";
    private const string Form = "/api/scoresheets/school:2024/" + School + "/form.pdf";
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("ingest-printer-test-");

    private string Script(string name, string body)
    {
        var path = Path.Combine(folder.FullName, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body.Replace("{dir}", folder.FullName, StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static Task<IngestWebHost> HostAsync(string cs, string chromium, int printers = 2, int queue = 8) =>
        HostFixture.StartAsync(cs, settings: new Dictionary<string, string?>
        {
            ["Ingest:Pdf:Chromium"] = chromium,
            ["Ingest:Pdf:Printers"] = printers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ingest:Pdf:Queue"] = queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ingest:Pdf:QueueSeconds"] = "1",
        });

    [Fact]
    public async Task A_full_printer_answers_503_with_Retry_After_and_a_browser_whose_requester_left_is_killed()
    {
        // A browser that never finishes: it says who it is, then waits.
        var chromium = Script("slow-chromium", "echo $$ > {dir}/pid\nexec sleep 300");
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostAsync(cs, chromium, printers: 1, queue: 0);
        await SeedAsync(host, FullFacts());
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "李老师");
        (await bureau.GetAsync("/api/scoresheets/school:2024/" + School)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var leaving = new CancellationTokenSource();
        var first = bureau.GetAsync(Form, leaving.Token);
        var pidFile = Path.Combine(folder.FullName, "pid");
        await Until(() => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0, "the first printout's browser to start");
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        // The one browser of this host is busy and nobody may queue: the next requester is told to come back.
        var second = await bureau.GetAsync(Form);
        second.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        second.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeGreaterThan(0);
        (await second.Content.ReadAsStringAsync()).ShouldContain("打印 PDF 的人数过多");

        // The first requester goes away: its browser is killed, and the printer is free again.
        await leaving.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => first);
        await Until(() => !Directory.Exists($"/proc/{pid}"), $"the abandoned browser (pid {pid}) to be killed");
        var printer = (Ingest.Host.Documents.PdfPrinter)host.App.Services.GetService(typeof(Ingest.Host.Documents.PdfPrinter))!;
        await Until(() => printer.Busy == 0, "the printer to be free");
    }

    [Fact]
    public async Task A_form_is_printed_once_for_every_host_until_the_sheet_changes()
    {
        // A browser that prints at once and counts its printouts.
        var chromium = Script("fast-chromium", """
            for a in "$@"; do case "$a" in --print-to-pdf=*) out="${a#--print-to-pdf=}";; esac; done
            echo printed >> {dir}/count
            printf '%%PDF-1.4\n%% stand-in\n' > "$out"
            """);
        var count = Path.Combine(folder.FullName, "count");
        int Printed() => File.Exists(count) ? File.ReadAllLines(count).Length : 0;
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostAsync(cs, chromium);
        await SeedAsync(host, FullFacts());
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "李老师");
        (await bureau.GetAsync("/api/scoresheets/school:2024/" + School)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var once = await bureau.GetByteArrayAsync(Form);
        var again = await bureau.GetByteArrayAsync(Form);
        Printed().ShouldBe(1, "the second download is the kept printout");
        again.ShouldBe(once);

        // Another host on the same database finds the same printout.
        await using var other = await HostAsync(cs, chromium);
        using var elsewhere = await HostFixture.ClientAsAsync(other, "bureau", "640424", "王老师");
        (await elsewhere.GetByteArrayAsync(Form)).ShouldBe(once);
        Printed().ShouldBe(1);

        // An entry changes what the form shows: it is printed again.
        var line = (await GetAsync(bureau, "/api/scoresheets/school:2024/" + School)).Lines.First(l => l.Kind == "score");
        (await bureau.PostAsJsonAsync("/api/scoresheets/school:2024/" + School + "/entries", new EntryBody(line.Target, "bureau", line.Points, null, null, null)))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        await bureau.GetByteArrayAsync(Form);
        Printed().ShouldBe(2);
    }

    /// <summary>Waits for a condition; one that does not come within a minute fails the test, naming what was awaited.</summary>
    private static async Task Until(Func<bool> condition, string what)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > TimeSpan.FromMinutes(1))
            {
                throw new TimeoutException($"Waited a minute for {what}.");
            }

            await Task.Delay(50);
        }
    }

    public void Dispose() => folder.Delete(recursive: true);
}
