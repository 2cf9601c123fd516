using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using Ingest.Core.Organisations;
using Ingest.Data.Organisations;
using Ingest.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Ingest.Host.Tests.People.People;

namespace Ingest.Host.Tests.Hosting;

/// <summary>What every answer tells the browser, the dashboard that only shows, and file names made from upstream names.</summary>
public partial class SecurityHeadersTests
{
    [Fact]
    public async Task Every_answer_forbids_inline_script_and_framing_and_the_pages_carry_none()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host);
        await CreateAccountAsync(host, "ops-zhang", "张运维", "ops", "640000");
        await CreateAccountAsync(host, "jy-bureau", "李老师", "bureau", "640424");
        using var anonymous = HostFixture.Client(host);
        var (ops, _) = await SignInAsync(host, "ops-zhang", Password);
        var (bureau, _) = await SignInAsync(host, "jy-bureau", Password);

        var answers = new List<(string What, HttpResponseMessage Response)>
        {
            ("sign-in page", await anonymous.GetAsync("/signin")),
            ("API without a token (401)", await anonymous.GetAsync("/api/runs")),
            ("an unknown address (404)", await ops.GetAsync("/no-such-page")),
            ("the stylesheet", await anonymous.GetAsync("/assets/site.css")),
            ("a refused page (403)", await bureau.GetAsync("/ops/runs")),
            ("ops home", await ops.GetAsync("/ops/runs")),
            ("county page", await bureau.GetAsync("/counties/640424/school:2024")),
            ("sheet page", await bureau.GetAsync($"/sheets/school:2024/{School}")),
            ("region page", await ops.GetAsync("/region/school:2024")),
        };
        foreach (var (what, response) in answers)
        {
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            csp.ShouldContain("script-src 'self';", customMessage: what);
            csp.ShouldContain("frame-ancestors 'none'", customMessage: what);
            csp.ShouldNotContain("unsafe-inline", customMessage: what);
            response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff", what);
            response.Headers.GetValues("Referrer-Policy").Single().ShouldBe("no-referrer", what);
            response.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY", what);
            response.Headers.Contains("Strict-Transport-Security").ShouldBeFalse($"{what}: no HSTS outside production");
        }

        answers[3].Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        answers[3].Response.Content.Headers.ContentType!.MediaType.ShouldBe("text/css");
        (await anonymous.GetAsync("/assets/table.js")).Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
        foreach (var (what, response) in answers.Where(a => a.Response.Content.Headers.ContentType?.MediaType == "text/html"))
        {
            var html = await response.Content.ReadAsStringAsync();
            InlineScript().IsMatch(html).ShouldBeFalse($"{what} has an inline script");
            html.ShouldNotContain("<style", Case.Insensitive, what);
            EventOrStyleAttribute().IsMatch(html).ShouldBeFalse($"{what} has an inline handler or style attribute");
        }
    }

    [Fact]
    public async Task In_production_an_https_answer_carries_hsts()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await IngestWebHost.BuildAsync(["--urls", "http://127.0.0.1:0", "--environment", "Staging"], c => c.AddInMemoryCollection(
            new Dictionary<string, string?>
            {
                ["ConnectionStrings:Ingest"] = TestPostgres.AsApplicationRoleAsync(cs).GetAwaiter().GetResult(),
                ["ConnectionStrings:IngestOwner"] = cs,
                ["Ingest:Security:KnownProxies:0"] = "127.0.0.1",
                ["Ingest:Hangfire:WorkerCount"] = "1",
                ["Logging:LogLevel:Default"] = "Warning",
            }));
        await host.StartAsync();
        using var http = HostFixture.Client(host);

        using var secure = new HttpRequestMessage(HttpMethod.Get, "/signin");
        secure.Headers.Host = "ingest.nxedu.example";
        secure.Headers.Add("X-Forwarded-Proto", "https");
        var answer = await http.SendAsync(secure);
        answer.Headers.GetValues("Strict-Transport-Security").Single().ShouldBe("max-age=31536000");

        using var plain = new HttpRequestMessage(HttpMethod.Get, "/signin");
        plain.Headers.Host = "ingest.nxedu.example";
        (await http.SendAsync(plain)).Headers.Contains("Strict-Transport-Security").ShouldBeFalse("HSTS is only sent over https");
    }

    [Fact]
    public async Task The_Hangfire_dashboard_shows_jobs_but_offers_nothing_to_trigger_retry_or_delete()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host);
        await CreateAccountAsync(host, "ops-zhang", "张运维", "ops", "640000");
        var (ops, _) = await SignInAsync(host, "ops-zhang", Password);

        var recurring = await ops.GetAsync("/hangfire/recurring");
        recurring.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await recurring.Content.ReadAsStringAsync();
        html.ShouldContain("nightly-ingestion");
        html.ShouldNotContain("recurring/trigger", customMessage: "a read-only dashboard has no trigger button");
        html.ShouldNotContain("recurring/remove");
        recurring.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("script-src 'self';");
    }

    [Fact]
    public async Task Files_named_after_an_upstream_school_name_stay_one_file_with_no_path_or_control_characters()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host);
        // The directory upstream sends a name with separators, a parent folder, a line break and a direction override.
        const string Hostile = "../../泾源县/城关\\第一小学\r\n\u202Exslx.exe";
        await host.App.Services.GetRequiredService<OrganisationStore>().UpsertAsync(
            [new Organisation(School, Hostile, OrgLevel.School, "640424")], CancellationToken.None);
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "李老师");

        var single = await bureau.GetAsync($"/api/scoresheets/school:2024/{School}/fill.xlsx");
        single.StatusCode.ShouldBe(HttpStatusCode.OK);
        AssertSafe(single.Content.Headers.ContentDisposition!.FileNameStar!);
        single.Content.Headers.ContentDisposition.FileNameStar!.ShouldContain("第一小学");

        var form = await bureau.GetAsync($"/api/scoresheets/school:2024/{School}/form.xlsx");
        AssertSafe(form.Content.Headers.ContentDisposition!.FileNameStar!);

        var zip = await bureau.GetAsync("/api/counties/640424/scoresheets/school:2024/fill.zip");
        zip.StatusCode.ShouldBe(HttpStatusCode.OK, await zip.Content.ReadAsStringAsync());
        using var archive = new ZipArchive(await zip.Content.ReadAsStreamAsync());
        archive.Entries.Select(e => e.FullName[..10]).Order(StringComparer.Ordinal).ToArray().ShouldBe(["2164240001"], "one form per open sheet: only 城关一小's was opened (城关二小 has none until the county is pre-filled)");
        foreach (var entry in archive.Entries)
        {
            AssertSafe(entry.FullName);
            entry.Length.ShouldBeGreaterThan(0);
        }

        archive.Entries.ShouldContain(e => e.FullName.StartsWith(School + "-", StringComparison.Ordinal) && e.FullName.Contains("第一小学"));
    }

    private static void AssertSafe(string name)
    {
        name.ShouldNotContain("/");
        name.ShouldNotContain("\\");
        name.ShouldNotContain("..");
        name.Any(c => char.IsControl(c) || c == '\u202E').ShouldBeFalse($"“{name}” has a control character");
    }

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"<[a-z][^>]*\s(on[a-z]+|style)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventOrStyleAttribute();
}
