using System.Net;
using System.Net.Http.Json;
using System.Text;
using Ingest.Application.People;
using Ingest.Host.People;
using Ingest.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Ingest.Host.Tests.People.People;

namespace Ingest.Host.Tests.People;

/// <summary>
/// Every route of the service asked by every kind of caller, each answer compared with docs/permissions.md: the table a
/// person reads beside the README's roles. The expectations come from that table, not from the code under test.
/// </summary>
public class AuthorizationMatrixTests
{
    private const string Cycle = "school:2024";

    /// <summary>The table's columns: the caller's role and scope, and its name.</summary>
    private static readonly (string Column, string Role, string Scope)[] Callers =
    [
        ("ops", Roles.Ops, "640000"), ("厅", Roles.Department, "640000"), ("局", Roles.Bureau, "640424"), ("他局", Roles.Bureau, "640422"),
        ("校", Roles.School, School), ("他校", Roles.School, OtherSchool), ("审计", Roles.Auditor, "640000"), ("他审计", Roles.Auditor, "640422"),
    ];

    [Fact]
    public async Task Every_route_answers_every_caller_as_the_permissions_table_says()
    {
        var table = PermissionsTable();
        var cs = await HostFixture.DatabaseAsync();
        // Every route as every caller is more than a minute's allowance of one address (SignInHardeningTests has the limits).
        await using var host = await HostFixture.StartAsync(cs, settings: new Dictionary<string, string?> { ["Ingest:People:TokenRequestsPerAddressPerMinute"] = "100000" });
        await SeedAsync(host);
        var ids = await ArrangeAsync(host, cs);

        // The route table and the permissions table name the same routes.
        var endpoints = host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Where(m => m != "HEAD")
                .Select(m => (Key: $"{m} /{e.RoutePattern.RawText!.TrimStart('/')}", Endpoint: e)))
            .ToDictionary(r => r.Key, r => r.Endpoint);
        foreach (var (key, endpoint) in PageForms(host))
        {
            endpoints.Add(key, endpoint);
        }

        endpoints.Keys.Except(table.Keys).Order(StringComparer.Ordinal).ShouldBeEmpty("routes the permissions table does not list");
        table.Keys.Except(endpoints.Keys).Order(StringComparer.Ordinal).ShouldBeEmpty("routes the permissions table lists that the service does not have");

        var clients = new Dictionary<string, HttpClient>();
        foreach (var (column, role, scope) in Callers)
        {
            clients[column] = await HostFixture.ClientAsAsync(host, role, scope, "矩阵" + column);
        }

        var wrong = new List<string>();
        foreach (var (route, cells) in table)
        {
            // A rule never names fewer roles than the table lets in.
            if (endpoints[route].Metadata.GetMetadata<AllowAttribute>() is { } rule)
            {
                var admitted = Callers.Where((c, i) => cells[i] != "✗").Select(c => c.Role).Distinct();
                foreach (var role in admitted.Except(rule.Who))
                {
                    wrong.Add($"{route}: the table lets {role} in, the route's rule ({rule}) does not");
                }
            }

            for (var i = 0; i < Callers.Length; i++)
            {
                var method = route[..route.IndexOf(' ', StringComparison.Ordinal)];
                var isPageForm = endpoints[route].Metadata.GetMetadata<CompiledPageActionDescriptor>() is not null && method == "POST";
                using var request = isPageForm
                    ? await PageFormAsync(clients[Callers[i].Column], route[(method.Length + 1)..], ids)
                    : Request(method, route[(method.Length + 1)..], ids);
                using var response = await clients[Callers[i].Column].SendAsync(request);
                var status = (int)response.StatusCode;
                var expected = cells[i];
                var ok = expected switch
                {
                    "✓" when method == "GET" => status is >= 200 and < 400,
                    "✓" => status is >= 200 and < 500 and not 401 and not 403,
                    "✗" => status == 403,
                    "404" => status == 404,
                    "409" => status == 409,
                    _ => false,
                };
                if (!ok || status >= 500)
                {
                    var body = await response.Content.ReadAsStringAsync();
                    wrong.Add($"{route} as {Callers[i].Column}: expected {expected}, answered {status} {body[..Math.Min(body.Length, 160)]}");
                }
            }
        }

        foreach (var client in clients.Values)
        {
            client.Dispose();
        }

        wrong.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_route_that_forgets_its_rule_stops_the_service_in_test_and_is_refused_to_everyone_in_production()
    {
        var cs = await HostFixture.DatabaseAsync();
        var refused = await Should.ThrowAsync<InvalidOperationException>(() => IngestWebHost.BuildAsync(["--urls", "http://127.0.0.1:0"],
            c => c.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Ingest"] = cs }),
            mapMore: app => app.MapGet("/api/forgotten", () => "open")));
        refused.Message.ShouldContain("GET /api/forgotten");

        // In production the same route is there, and nobody may use it.
        cs = await HostFixture.DatabaseAsync();
        var application = await TestPostgres.AsApplicationRoleAsync(cs);
        await using var host = await IngestWebHost.BuildAsync(["--urls", "http://127.0.0.1:0", "--environment", "Staging"], c => c.AddInMemoryCollection(
            new Dictionary<string, string?>
            {
                ["ConnectionStrings:Ingest"] = application,
                ["ConnectionStrings:IngestOwner"] = cs,
                ["Ingest:Hangfire:WorkerCount"] = "1",
                ["Logging:LogLevel:Default"] = "Warning",
            }), mapMore: app => app.MapGet("/api/forgotten", () => "open"));
        await host.StartAsync();
        await SeedAsync(host);
        using var anonymous = HostFixture.Client(host);
        (await anonymous.GetAsync("/api/forgotten")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        foreach (var (column, role, scope) in Callers)
        {
            using var caller = await HostFixture.ClientAsAsync(host, role, scope, column);
            (await caller.GetAsync("/api/forgotten")).StatusCode.ShouldBe(HttpStatusCode.Forbidden, column);
        }
    }

    /// <summary>Data of a real county for every route to find: open sheets, claims, a contact, a 佐证材料 file, a run of 泾源县 and one of its archived answers.</summary>
    private static async Task<Ids> ArrangeAsync(IngestWebHost host, string cs)
    {
        using var department = await HostFixture.ClientAsAsync(host, Roles.Department, "640000", "教育厅");
        (await department.PostAsync($"/api/counties/640424/scoresheets/{Cycle}", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await department.PostAsync($"/api/counties/640422/scoresheets/{Cycle}", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var bureau = await HostFixture.ClientAsAsync(host, Roles.Bureau, "640424", "李老师");
        var claims = "学校标识码,学校名称,序号,指标,分值,自评得分,自评数据,说明\r\n" + $"{School},泾源县城关第一小学,1,网络,1,1,,\r\n";
        (await bureau.PostAsync($"/api/claims/{Cycle}/import?fileName=claims.csv", new ByteArrayContent(Encoding.UTF8.GetBytes(claims)))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bureau.PutAsJsonAsync($"/api/organisations/{School}/contact", new { person = "马晓燕", phone = "0954-5012345" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var uploaded = await bureau.PostAsync($"/api/scoresheets/{Cycle}/{School}/files?target=30&fileName=photo.png", new ByteArrayContent(Uploads.EvidenceFiles.Png()));
        uploaded.StatusCode.ShouldBe(HttpStatusCode.Created);
        var file = (await uploaded.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt64();
        var deadline = DateOnly.FromDateTime(DateTime.UnixEpoch).AddYears(100);
        using var set = await bureau.PostAsJsonAsync($"/api/remediation/{Cycle}/schools/{School}/items", new { target = "30", deadline });
        set.StatusCode.ShouldBe(HttpStatusCode.OK, await set.Content.ReadAsStringAsync());
        var item = (await set.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt64();
        using var school = await HostFixture.ClientAsAsync(host, Roles.School, School, "城关一小");
        (await school.PostAsync($"/api/remediation/{Cycle}/schools/{School}/items/{item}/submit/file?fileName=整改.png", new ByteArrayContent(Uploads.EvidenceFiles.Png())))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var run = await HostFixture.ScalarAsync<long>(cs, """
            INSERT INTO ingest.run_unit (run_id, connector, county_code, period) SELECT max(id), 'cloud', '640424', '2023' FROM ingest.run RETURNING run_id
            """);
        var raw = await HostFixture.ScalarAsync<long>(cs, $$"""
            INSERT INTO ingest.raw_page (run_id, connector, stream, county_code, period, sequence, request, http_status, content_type, body, sha256, fetched_at)
            VALUES ({{run}}, 'cloud', 'teacher-activity', '640424', '2023', 0, 'GET /api/v1/stats/teacher-activity', 200, 'application/json',
                    convert_to('{"code":0}', 'UTF8'), sha256(convert_to('{"code":0}', 'UTF8')), now())
            RETURNING id
            """);
        return new Ids(raw, run, file, item);
    }

    /// <summary>What the routes' ids name: an archived answer, a run, a 佐证材料 file and a 整改 item.</summary>
    private sealed record Ids(long RawPage, long Run, long File, long Item);

    /// <summary>
    /// The forms the pages post back to themselves, one route per handler (<c>POST /sheets/{cycle}/{org}?handler=entry</c>),
    /// read from the compiled pages so a new handler cannot be left out of the table.
    /// </summary>
    private static List<(string Key, RouteEndpoint Endpoint)> PageForms(IngestWebHost host)
    {
        var forms = new List<(string, RouteEndpoint)>();
        foreach (var endpoint in host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<CompiledPageActionDescriptor>() is not { } compiled)
            {
                continue;
            }

            foreach (var handler in compiled.HandlerMethods.Where(h => string.Equals(h.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase)))
            {
                var query = handler.Name is null ? string.Empty : "?handler=" + handler.Name.ToLowerInvariant();
                forms.Add(($"POST /{endpoint.RoutePattern.RawText!.TrimStart('/')}{query}", endpoint));
            }
        }

        return forms;
    }

    /// <summary>
    /// A page's form posted as a hostile caller would: with a valid anti-forgery token of its own (from the page, or from
    /// the sign-out form of a page it may open when the page refuses it) and no fields, so the form is judged on who
    /// sends it, and nothing changes.
    /// </summary>
    private static async Task<HttpRequestMessage> PageFormAsync(HttpClient caller, string pattern, Ids ids)
    {
        var handler = pattern.Contains('?', StringComparison.Ordinal) ? pattern[pattern.IndexOf('?', StringComparison.Ordinal)..] : string.Empty;
        using var page = Request("GET", pattern[..(pattern.Length - handler.Length)], ids);
        var path = page.RequestUri!.OriginalString;
        using var shown = await caller.GetAsync(path);
        var html = await shown.Content.ReadAsStringAsync();
        var token = TokenIn(html);
        if (!token.Success)
        {
            // The caller's own start page: "/" sends it on to the page of its role.
            var start = "/";
            for (var hop = 0; hop < 3 && !token.Success; hop++)
            {
                using var own = await caller.GetAsync(start);
                token = TokenIn(await own.Content.ReadAsStringAsync());
                start = own.Headers.Location?.OriginalString ?? start;
            }

            token.Success.ShouldBeTrue($"no page of the caller's own shows an anti-forgery token to post {pattern} with");
        }

        var fields = new Dictionary<string, string>();
        if (token.Success)
        {
            fields["__RequestVerificationToken"] = System.Net.WebUtility.HtmlDecode(token.Groups[1].Value);
        }

        var separator = path.Contains('?', StringComparison.Ordinal) && handler.Length > 0 ? "&" + handler[1..] : handler;
        return new HttpRequestMessage(HttpMethod.Post, path + separator) { Content = new FormUrlEncodedContent(fields) };
    }

    private static System.Text.RegularExpressions.Match TokenIn(string html) =>
        System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"");

    /// <summary>The request the matrix sends for a route: sample values in the route, a query where the route needs one, and for a write a body that changes nothing.</summary>
    private static HttpRequestMessage Request(string method, string pattern, Ids ids)
    {
        var path = "/" + string.Join('/', pattern.Trim('/').Split('/').Select(segment => segment switch
        {
            // The evaluation visit is of the county standard's cycle; every other route takes the school cycle.
            "{cycle}" => pattern.Contains("visits", StringComparison.Ordinal) ? "county:2024" : Cycle,
            "{org}" => School,
            "{county}" => "640424",
            "{year:int}" => "2024",
            "{school}" => School,
            "{id}" => "school-2022",
            "{id:long}" when pattern.Contains("raw", StringComparison.Ordinal) => ids.RawPage.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "{id:long}" when pattern.Contains("runs", StringComparison.Ordinal) => ids.Run.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "{id:long}" when pattern.Contains("/files/", StringComparison.Ordinal) => ids.File.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "{id:long}" when pattern.Contains("/items/", StringComparison.Ordinal) => ids.Item.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "{id:long}" => "999999999",
            "{item}" => "30",
            "{login}" => "nobody-here",
            "{code:int}" => "404",
            "{documentName}.json" => "v1.json",
            "{**path}" => string.Empty,
            _ => segment,
        }));
        var query = pattern switch
        {
            "/audit/evidence" or "/api/evidence" or "/api/facts/history" => $"?org={School}&indicator=cloud.app_index&period=2023&source=cloud",
            "/api/facts" or "/ops/facts" => $"?org={School}",
            _ when pattern.Contains("programme", StringComparison.Ordinal) || pattern.Contains("/template.", StringComparison.Ordinal)
                || pattern.Contains("roster", StringComparison.Ordinal) && method == "GET"
                || pattern.Contains("levels/{year:int}", StringComparison.Ordinal) && (method == "GET" || pattern.EndsWith("/award", StringComparison.Ordinal))
                || pattern.Contains("/report", StringComparison.Ordinal) && !pattern.Contains("{org}", StringComparison.Ordinal) => "?county=640424",
            _ => string.Empty,
        };
        var request = new HttpRequestMessage(new HttpMethod(method), path + query);
        if (method is "POST" or "PUT")
        {
            // An import gets an empty file; every other write an empty object: judged, refused on its content, nothing kept.
            request.Content = pattern.EndsWith("/import", StringComparison.Ordinal) ? new ByteArrayContent([]) : JsonContent.Create(new { });
        }

        return request;
    }

    /// <summary>docs/permissions.md's table: each route with the cell of each caller, in <see cref="Callers"/>' order.</summary>
    private static Dictionary<string, string[]> PermissionsTable()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Ingest.sln")))
        {
            root = root.Parent ?? throw new DirectoryNotFoundException("The repository root (Ingest.sln) is not above the tests.");
        }

        var lines = File.ReadAllLines(Path.Combine(root.FullName, "docs", "permissions.md"));
        var header = lines.Single(l => l.StartsWith("| route |", StringComparison.Ordinal)).Split('|', StringSplitOptions.TrimEntries)[2..^1];
        header.ShouldBe(Callers.Select(c => c.Column).ToArray(), "the table's columns are the matrix's callers, in order");
        var table = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var line in lines.Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries)[1..^1];
            var route = cells[0].Trim('`');
            if (route.Contains(' ', StringComparison.Ordinal) && route.Split(' ')[0] is "GET" or "POST" or "PUT" or "DELETE")
            {
                cells[1..].Length.ShouldBe(Callers.Length, route);
                table.Add(route, cells[1..]);
            }
        }

        return table;
    }
}
