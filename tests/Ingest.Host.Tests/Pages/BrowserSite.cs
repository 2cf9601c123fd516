using System.Net.Http.Json;
using Ingest.Application.Ingestion;
using Ingest.Application.People;
using Ingest.Fixtures.CloudPlatform;
using Ingest.Fixtures.Region;
using Ingest.Host.Operations;
using Ingest.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Ingest.Host.Tests.Pages;

/// <summary>
/// The service as a browser meets it: real PostgreSQL, the Education Cloud fake serving the hand-written two-county
/// dataset, one ingestion of the school cycle 2024 done, an account per role, and Debian's Chromium driven by Playwright.
/// Shared by the browser classes (<see cref="BrowserClasses"/>); each scenario opens its own browser context (its own cookies).
/// </summary>
public sealed class BrowserSite : IAsyncLifetime
{
    /// <summary>The browser classes share one site (one host, one ingestion, one Chromium): they run one after the other.</summary>
    public const string Collection = "browser";

    public const string Password = "开发用口令-2026";
    public const string Cycle = "school:2024";
    public const string County = "640424";
    public const string School = "2164240001";       // 泾源县城关第一小学
    public const string OtherSchool = "2164240002";  // 泾源县第一中学
    public const string RatedSchool = "2164240003";  // 泾源县泾河源镇中心学校: the bureau scenario fills its column

    private FakeCloudPlatform? fake;
    private IPlaywright? playwright;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<IPage, List<string>> Refusals = new();

    // The contexts the running scenario opened. Each is a browser window that keeps drawing frames while it stays open: a
    // scenario closes its own when it ends (CloseContextsAsync), or the ones left open slow every scenario after it.
    private readonly List<IBrowserContext> open = [];

    public IngestWebHost Host { get; private set; } = null!;

    public string ConnectionString { get; private set; } = string.Empty;

    public IBrowser Browser { get; private set; } = null!;

    public Uri Address => HostFixture.Address(Host);

    public async Task InitializeAsync()
    {
        ConnectionString = await HostFixture.DatabaseAsync();
        fake = FakeCloudPlatform.Start(DatasetRegion.LoadShipped("cloud-tiny"));
        Host = await HostFixture.StartAsync(ConnectionString, settings: new Dictionary<string, string?>
        {
            ["Connectors:CloudPlatform:Enabled"] = "true",
            ["Connectors:CloudPlatform:BaseUrl"] = fake.Url,
            ["Connectors:CloudPlatform:ClientId"] = fake.Options.ClientId,
            ["Connectors:CloudPlatform:ClientSecret"] = fake.Options.ClientSecret,
            ["Ingest:Schedule:Cycles:0"] = Cycle,
            ["Ingest:Schedule:Cycles:1"] = "county:2024",
        });

        var services = Host.App.Services;
        var run = await services.GetRequiredService<RunStarter>().StartAsync(new IngestionRequest("test", Core.Periods.EvaluationCycle.Parse(Cycle), null),
            Data.Audit.Actor.CommandLine("测试"), CancellationToken.None);
        (await HostFixture.WaitForRunAsync(Host, run.RunId)).Status.ShouldBe("succeeded");

        var accounts = services.GetRequiredService<AccountService>();
        foreach (var (login, name, role, scope) in new[]
        {
            ("jy-bureau", "泾源县教育局李老师", Roles.Bureau, County),
            ("jy-school", "城关一小王老师", Roles.School, School),
            ("ops-zhang", "张运维", Roles.Ops, "640000"),
            ("ting-wang", "教育厅王处长", Roles.Department, "640000"),
            ("jy-audit", "泾源县审计组", Roles.Auditor, County),
        })
        {
            (await accounts.CreateAsync(Caller.CommandLine("测试"), login, name, role, scope, Password, CancellationToken.None)).Refusal.ShouldBeNull();
        }

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : null,
            Headless = true,
            Args = ["--no-sandbox"],
        });
    }

    /// <summary>A fresh browser context at 1366×768 in Chinese, with nobody signed in.</summary>
    /// <param name="script">False: a browser with JavaScript off, to check what a page does without its script.</param>
    public async Task<IPage> NewPageAsync(bool script = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Address.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
            Locale = "zh-CN",
            JavaScriptEnabled = script,
        });
        // Generous waits: CI runs the test assemblies side by side on two cores, and a page can take a while to answer then.
        context.SetDefaultTimeout(60_000);
        lock (open)
        {
            open.Add(context);
        }

        var page = await context.NewPageAsync();
        var refused = Refusals.GetOrAdd(page, _ => []);
        // Chromium reports what the Content-Security-Policy blocked on the console: "Refused to execute inline script …".
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                lock (refused)
                {
                    refused.Add(message.Text);
                }
            }
        };
        return page;
    }

    /// <summary>Closes the browser contexts opened since the last call: what a scenario calls when it ends.</summary>
    public async Task CloseContextsAsync()
    {
        IBrowserContext[] contexts;
        lock (open)
        {
            contexts = [.. open];
            open.Clear();
        }

        foreach (var context in contexts)
        {
            foreach (var page in context.Pages)
            {
                Refusals.TryRemove(page, out _);
            }

            await context.CloseAsync();
        }
    }

    /// <summary>What the page's Content-Security-Policy refused to load or run so far.</summary>
    public static IReadOnlyList<string> PolicyRefusals(IPage page)
    {
        var refused = Refusals.GetOrAdd(page, _ => []);
        lock (refused)
        {
            return [.. refused];
        }
    }

    /// <summary>Signs in through the form as a person does.</summary>
    public static async Task SignInAsync(IPage page, string login)
    {
        await page.GotoAsync("/signin");
        await page.GetByLabel("登录名").FillAsync(login);
        await page.GetByLabel("密码").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await ArriveAsync(page, url => !url.Contains("/signin", StringComparison.Ordinal), "away from sign-in");
    }

    /// <summary>Waits for the page to reach a URL; when it does not, says where it stayed and what it showed.</summary>
    public static async Task ArriveAsync(IPage page, Func<string, bool> url, string where)
    {
        // The navigation committed, no more: what a scenario reads next waits for its own element, and a busy machine
        // has held even DOMContentLoaded back past the timeout while the page was already at its address. Polled rather
        // than WaitForURL(Commit), which waits for a "commit" load state that never comes when the page is already there.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!url(page.Url))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                var shown = await page.Locator("body").InnerTextAsync(new() { Timeout = 5_000 });
                throw new TimeoutException($"The page did not go {where}: it stayed at {page.Url}, showing: {shown[..Math.Min(shown.Length, 600)]}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// A screenshot of the whole page as the scenario left it, kept with the test results (git-ignored). One image per
    /// moment: its top is what the window showed, and each capture costs Chromium about a second of CPU.
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    /// <summary>An API client with a token of the role, for arranging what a scenario starts from.</summary>
    public Task<HttpClient> ApiAsync(string role, string scope, string name) => HostFixture.ClientAsAsync(Host, role, scope, name);

    public static async Task<Ingest.Scoring.Sheets.ScoresheetView> SheetAsync(HttpClient http, string org) =>
        (await http.GetFromJsonAsync<Ingest.Scoring.Sheets.ScoresheetView>($"/api/scoresheets/{Cycle}/{org}", global::Ingest.Host.Tests.Scoring.ScoresheetApiTests.Json))!;

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        await Host.DisposeAsync();
        fake?.Dispose();
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ingest.sln")))
            {
                return dir.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }
}

/// <summary>The classes that drive the site in Chromium, on one <see cref="BrowserSite"/>.</summary>
[CollectionDefinition(BrowserSite.Collection)]
[RunsLong]
public sealed class BrowserClasses : ICollectionFixture<BrowserSite>;
