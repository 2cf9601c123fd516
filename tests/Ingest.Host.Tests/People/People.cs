using System.Net;
using System.Text.RegularExpressions;
using Ingest.Application.People;
using Ingest.Core.Organisations;
using Ingest.Data.Audit;
using Ingest.Data.Organisations;
using Microsoft.Extensions.DependencyInjection;
using static Ingest.Host.Tests.Scoring.ScoresheetApiTests;

namespace Ingest.Host.Tests.People;

/// <summary>Two counties of 固原市 with their schools, facts for the first school, and accounts as ops would create them.</summary>
internal static partial class People
{
    public const string School = "2164240001";          // 泾源县城关第一小学, county 640424
    public const string OtherSchool = "2164240002";     // same county
    public const string ForeignSchool = "2164220001";   // 西吉县, county 640422
    public const string Password = "开发用口令-2026";

    public static readonly Caller Bootstrap = Caller.CommandLine("测试");

    public static Task SeedAsync(IngestWebHost host) => SeedAsync(host, FullFacts());

    public static async Task SeedAsync(IngestWebHost host, Core.Facts.IndicatorFact[] facts)
    {
        await Scoring.ScoresheetApiTests.SeedAsync(host, facts);
        await host.App.Services.GetRequiredService<OrganisationStore>().UpsertAsync(
        [
            new Organisation("640422", "西吉县", OrgLevel.County, "640400"),
            new Organisation(ForeignSchool, "西吉县第一小学", OrgLevel.School, "640422"),
        ], CancellationToken.None);
    }

    public static async Task CreateAccountAsync(IngestWebHost host, string login, string name, string role, string scope)
    {
        var created = await host.App.Services.GetRequiredService<AccountService>().CreateAsync(Bootstrap, login, name, role, scope, Password, CancellationToken.None);
        created.Refusal.ShouldBeNull();
    }

    /// <summary>Signs in through the form as a browser does: the page's antiforgery token and cookie, then the post.</summary>
    /// <remarks>
    /// With <paramref name="from"/>, the browser is at that address behind the proxy the host trusts (a host started with
    /// <see cref="BehindProxy"/>): the proxy's X-Forwarded-For says so.
    /// </remarks>
    public static async Task<(HttpClient Http, HttpResponseMessage Response)> SignInAsync(IngestWebHost host, string login, string password, string? from = null,
        CookieContainer? jar = null)
    {
        var cookies = jar ?? new CookieContainer();
        var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = HostFixture.Address(host) };
        if (from is not null)
        {
            http.DefaultRequestHeaders.Add("X-Forwarded-For", from);
        }

        var token = FormToken(await http.GetStringAsync("/signin"));
        var response = await http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["login"] = login,
            ["password"] = password,
            ["__RequestVerificationToken"] = token,
        }));
        return (http, response);
    }

    /// <summary>Settings of a host behind a proxy on loopback, whose X-Forwarded-For gives each request's client address.</summary>
    public static Dictionary<string, string?> BehindProxy(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["Ingest:Security:KnownProxies:0"] = "127.0.0.1" };
        foreach (var (k, v) in more)
        {
            settings[k] = v;
        }

        return settings;
    }

    /// <summary>The message beside the sign-in form, or null.</summary>
    public static string? SignInError(string html) => SignInErrorText().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value).Trim() : null;

    public static string FormToken(string html) => TokenField().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value)
        : throw new InvalidOperationException("The page has no antiforgery field.");

    [GeneratedRegex("<p[^>]*role=\"alert\"[^>]*>([^<]*)</p>")]
    private static partial Regex SignInErrorText();

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
