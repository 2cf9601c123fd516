using System.Net;
using System.Net.Http.Json;
using Ingest.Host.Operations;
using Ingest.Testing;
using Microsoft.Extensions.Configuration;
using static Ingest.Host.Tests.People.People;

namespace Ingest.Host.Tests.People;

/// <summary>What the service refuses on the department's network, and the limits every request meets.</summary>
public class ProductionSafetyTests
{
    [Fact]
    public async Task Production_refuses_to_start_without_a_database_or_with_a_plain_http_upstream()
    {
        var missing = await Should.ThrowAsync<ProductionSafetyException>(() => IngestWebHost.BuildAsync(["--environment", "Production"],
            c => c.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Ingest"] = "" })));
        missing.Message.ShouldContain("未配置数据库 ConnectionStrings:Ingest");

        var plain = await Should.ThrowAsync<ProductionSafetyException>(() => IngestWebHost.BuildAsync(["--environment", "Production"],
            c => c.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Ingest"] = "Host=db.example;Database=ingest",
                ["Connectors:Progress:Enabled"] = "true",
                ["Connectors:Progress:BaseUrl"] = "http://progress.example/",
            })));
        plain.Message.ShouldContain("Connectors:Progress:BaseUrl 使用明文 http");
        plain.Message.ShouldNotContain("ConnectionStrings");
    }

    [Fact]
    public async Task A_body_above_the_cap_is_refused_and_a_run_naming_an_unknown_county_is_not_planned()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs, new TestConnector(), new Dictionary<string, string?> { ["Ingest:Security:MaxRequestBodyBytes"] = "4096" });
        await SeedAsync(host);
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "李老师");
        using var ops = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");

        var large = await bureau.PostAsync($"/api/scoresheets/school:2024/{School}/import?fileName=big.xlsx", new ByteArrayContent(new byte[10_000]));
        large.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);

        var runs = await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.run");
        var unknown = await ops.PostAsJsonAsync("/api/runs", new StartRunBody(null, "2023", ["640424", "640499"], null));
        unknown.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await unknown.Content.ReadAsStringAsync()).ShouldContain("机构目录中没有县（区）640499");
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.run")).ShouldBe(runs, "a refused request plans nothing");
    }

    [Fact]
    public async Task Behind_a_known_proxy_the_trail_records_the_persons_address_and_the_cookie_is_secure()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs, settings: new Dictionary<string, string?> { ["Ingest:Security:KnownProxies:0"] = "127.0.0.1" });
        await SeedAsync(host);
        await CreateAccountAsync(host, "ops-zhang", "张运维", "ops", "640000");

        // The proxy speaks https to the browser and http to the service; the cookies are Secure, so they are carried by hand here.
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = HostFixture.Address(host) };
        http.DefaultRequestHeaders.Add("X-Forwarded-For", "10.64.4.24");
        http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        var page = await http.GetAsync("/signin");
        var antiforgery = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ingest.csrf=", StringComparison.Ordinal));
        antiforgery.ShouldContain("secure", Case.Insensitive);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["login"] = "ops-zhang", ["password"] = Password, ["__RequestVerificationToken"] = FormToken(await page.Content.ReadAsStringAsync()),
            }),
        };
        post.Headers.Add("Cookie", antiforgery.Split(';')[0]);
        var signedIn = await http.SendAsync(post);

        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ingest.auth=", StringComparison.Ordinal)).ShouldContain("secure", Case.Insensitive);
        (await HostFixture.ScalarAsync<string>(cs, "SELECT address FROM ingest.audit_event WHERE action = 'auth.sign_in'")).ShouldBe("10.64.4.24");
    }
}
