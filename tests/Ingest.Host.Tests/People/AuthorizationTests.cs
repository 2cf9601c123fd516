using System.Net;
using System.Net.Http.Json;
using Ingest.Host.Operations;
using Ingest.Host.Scoring;
using Ingest.Scoring.Sheets;
using Ingest.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static Ingest.Host.Tests.People.People;

namespace Ingest.Host.Tests.People;

/// <summary>Who may do what, over HTTP against real PostgreSQL: the roles table of the people issue, route by route.</summary>
public class AuthorizationTests
{
    /// <summary>The only routes open without signing in: the monitors' probes and the sign-in page and form.</summary>
    private static readonly string[] Anonymous =
        ["GET /health", "GET /health/live", "GET /health/ready", "GET /signin", "GET /status/{code:int}", "GET /{**path}", "HEAD /health", "HEAD /health/live",
            "HEAD /health/ready", "POST /signin", "POST /status/{code:int}", "POST /{**path}"];

    [Fact]
    public async Task Every_route_but_health_and_sign_in_refuses_an_anonymous_request()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host);
        using var http = HostFixture.Client(host);

        var routes = host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            // A page answers GET and its handlers' POSTs; an endpoint without methods is checked with both.
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"]).Select(m => (Method: m, Endpoint: e)))
            .ToArray();
        routes.Length.ShouldBeGreaterThan(50);
        routes.ShouldContain(r => r.Endpoint.DisplayName == "/Scoring/Pages/Sheet", "the pages are part of the walk");
        string.Join(", ", routes.Where(r => r.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null).Select(r => $"{r.Method} /{r.Endpoint.RoutePattern.RawText!.TrimStart('/')}")
            .Order(StringComparer.Ordinal)).ShouldBe(string.Join(", ", Anonymous), "a route open to anyone must be named here on purpose");

        var checkedRoutes = 0;
        foreach (var (method, endpoint) in routes.Where(r => r.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null))
        {
            var url = Url(endpoint.RoutePattern.RawText!);
            using var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (method is "POST" or "PUT")
            {
                request.Content = JsonContent.Create(new { target = "1", score = 1, stars = 4 });
            }

            using var response = await http.SendAsync(request);
            var what = $"{method} {url}";
            if (url.StartsWith("/api", StringComparison.Ordinal) || url == "/metrics")
            {
                response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, what);
            }
            else
            {
                // A page: sent to sign in, and back to where it was going afterwards.
                response.StatusCode.ShouldBe(HttpStatusCode.Redirect, what);
                response.Headers.Location!.ToString().ShouldStartWith("http://127.0.0.1", Case.Insensitive, what);
                response.Headers.Location!.AbsolutePath.ShouldBe("/signin", what);
            }

            checkedRoutes++;
        }

        checkedRoutes.ShouldBe(routes.Length - Anonymous.Length);

        // The open status pages and the fallback say "not found" and nothing more: no menu, no data, no sign of a route.
        foreach (var path in new[] { "/nope", "/status/404", "/sheets" })
        {
            using var missing = await http.GetAsync(path);
            missing.StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
            var page = await missing.Content.ReadAsStringAsync();
            page.ShouldContain("找不到此页面");
            page.ShouldNotContain("<nav");
        }

        using var api = await http.GetAsync("/api/nope");
        api.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        api.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await api.Content.ReadAsStringAsync()).ShouldContain("找不到此页面");
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.scoresheet")).ShouldBe(0, "no anonymous request created a sheet");
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.run")).ShouldBe(1, "no anonymous request started a run (the seed made one)");

        static string Url(string pattern) => "/" + string.Join('/', pattern.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(segment => segment switch
        {
            "{cycle}" => "school:2024",
            "{org}" => School,
            "{county}" => "640424",
            "{year:int}" => "2024",
            "{id}" => "abc",
            "{id:long}" => "1",
            "{login}" => "someone",
            "{**path}" => "jobs/enqueued",
            "{documentName}.json" => "v1.json",
            _ when segment.StartsWith('{') => "x",
            _ => segment,
        }));
    }

    [Fact]
    public async Task A_writer_writes_only_its_own_column_in_its_own_scope_and_the_entry_is_signed_with_its_name()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host);
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "泾源县教育局李老师");
        using var foreignBureau = await HostFixture.ClientAsAsync(host, "bureau", "640422", "西吉县教育局");
        using var school = await HostFixture.ClientAsAsync(host, "school", School, "城关一小");
        using var auditor = await HostFixture.ClientAsAsync(host, "auditor", "640000", "审计处");
        using var department = await HostFixture.ClientAsAsync(host, "department", "640000", "教育厅王处长");
        using var ops = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");
        const string sheet = "/api/scoresheets/school:2024/" + School;
        var entry = new EntryBody("1", null, 1, null, null, null);

        // A bureau of 640422 on a school of 640424; any bureau naming the 教育厅 column; a school on another school;
        // an auditor and ops anywhere.
        (await foreignBureau.PostAsJsonAsync(sheet + "/entries", entry)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var wrongColumn = await bureau.PostAsJsonAsync(sheet + "/entries", entry with { Column = "department" });
        wrongColumn.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await wrongColumn.Content.ReadAsStringAsync()).ShouldContain("教育局（640424）只能写入教育局评定栏，不能写入教育厅评定栏");
        (await foreignBureau.PostAsJsonAsync($"/api/scoresheets/school:2024/{ForeignSchool}/entries", entry with { Column = "department" }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await school.PostAsJsonAsync($"/api/scoresheets/school:2024/{OtherSchool}/entries", entry)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await school.PostAsJsonAsync(sheet + "/entries", entry with { Column = "bureau" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        foreach (var reader in new[] { auditor, ops })
        {
            (await reader.PostAsJsonAsync(sheet + "/entries", entry)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await reader.PostAsJsonAsync(sheet + "/entries", entry with { Column = "self" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await reader.PutAsJsonAsync(sheet + "/applied-stars", new { stars = 4 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await reader.PutAsJsonAsync($"/api/organisations/{School}/contact", new ContactBody("马老师", "0954-1"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await reader.PostAsync(sheet, null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await reader.PostAsync(sheet + "/import", new ByteArrayContent([1, 2, 3]))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await reader.GetAsync(sheet + "/fill.xlsx")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        // Reading never creates: the auditor finds no sheet yet, and ops reads no sheets at all.
        (await auditor.GetAsync(sheet)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await ops.GetAsync(sheet)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.scoresheet")).ShouldBe(0);
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.scoresheet_entry")).ShouldBe(0, "nothing refused was written");

        // Allowed: each writer in its own column, signed with its display name whatever the body says.
        (await bureau.PostAsJsonAsync(sheet + "/entries", entry with { By = "冒名者" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bureau.PostAsJsonAsync(sheet + "/entries", entry with { Column = "bureau", Score = 0.5m })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await school.PostAsJsonAsync(sheet + "/entries", entry)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await department.PostAsJsonAsync($"/api/scoresheets/school:2024/{ForeignSchool}/entries", entry)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var log = (await auditor.GetFromJsonAsync<EntryLogView[]>(sheet + "/entries", Scoring.ScoresheetApiTests.Json))!;
        log.Select(l => (l.Column, l.By, l.NewScore)).ShouldBe([("bureau", "泾源县教育局李老师", 1m), ("bureau", "泾源县教育局李老师", 0.5m), ("self", "城关一小", 1m)]);

        // Reading follows scope too: the other county's bureau and another school see nothing of this sheet.
        (await foreignBureau.GetAsync(sheet)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await school.GetAsync($"/api/scoresheets/school:2024/{OtherSchool}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await foreignBureau.GetAsync("/api/counties/640424/scoresheets/school:2024")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await bureau.GetAsync("/api/counties/640424/scoresheets/school:2024")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // The region's sheets: read by region-wide readers, re-scored only by the department.
        (await department.GetAsync("/api/region/scoresheets/school:2024")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await auditor.GetAsync("/api/region/scoresheets/school:2024")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await auditor.PostAsync("/api/region/scoresheets/school:2024", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await bureau.GetAsync("/api/region/scoresheets/school:2024")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await bureau.PostAsync("/api/region/scoresheets/school:2024", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await school.PostAsync("/api/region/scoresheets/school:2024", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await ops.PostAsync("/api/region/scoresheets/school:2024", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await school.GetAsync("/api/reports/school:2024/programme")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await foreignBureau.GetAsync("/api/reports/school:2024/programme?county=640424")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // 申报星级 is the school's; the applied level of another school is not.
        (await bureau.PutAsJsonAsync(sheet + "/applied-stars", new { stars = 4 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await school.PutAsJsonAsync(sheet + "/applied-stars", new { stars = 4 })).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Ops runs the ingestion and reads facts; nobody else starts a run.
        (await department.PostAsJsonAsync("/api/runs", new StartRunBody(null, "2023", ["640424"], null))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await ops.GetAsync("/api/facts?org=" + School)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bureau.GetAsync("/api/facts?org=" + School)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await department.GetAsync("/api/accounts")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_county_auditor_reads_its_county_and_its_part_of_the_audit_trail_only()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host);
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "李老师");
        using var department = await HostFixture.ClientAsAsync(host, "department", "640000", "王处长");
        using var auditor = await HostFixture.ClientAsAsync(host, "auditor", "640424", "泾源县审计");
        (await bureau.PostAsJsonAsync($"/api/scoresheets/school:2024/{School}/entries", new EntryBody("1", null, 1, null, null, null))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await department.PostAsJsonAsync($"/api/scoresheets/school:2024/{ForeignSchool}/entries", new EntryBody("1", null, 1, null, null, null)))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        (await auditor.GetAsync($"/api/scoresheets/school:2024/{School}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await auditor.GetAsync($"/api/scoresheets/school:2024/{ForeignSchool}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await auditor.GetAsync("/api/facts")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await auditor.GetAsync("/api/facts?org=" + School)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await auditor.GetAsync("/api/facts?org=" + ForeignSchool)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var trail = (await auditor.GetFromJsonAsync<Data.Audit.AuditRecord[]>("/api/audit", Scoring.ScoresheetApiTests.Json))!;
        trail.ShouldContain(a => a.Action == "score.entry" && a.OrgCode == School && a.Actor == "李老师");
        trail.ShouldNotContain(a => a.OrgCode == ForeignSchool);
        (await auditor.GetAsync("/api/audit?org=" + ForeignSchool)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await bureau.GetAsync("/api/audit")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
