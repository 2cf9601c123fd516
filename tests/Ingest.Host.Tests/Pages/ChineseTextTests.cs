using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Ingest.Host.Tests.Pages.BrowserSite;

namespace Ingest.Host.Tests.Pages;

/// <summary>
/// Every page a role reaches from its menu reads in Chinese: the words in Latin letters it shows are codes, units and
/// proper names a person expects (CSV, PDF, Excel …), never the service's own identifiers or English sentences.
/// </summary>
[Collection(BrowserSite.Collection)]
public sealed partial class ChineseTextTests(BrowserSite site) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>The scenario's browser windows are closed when it ends: an open one keeps drawing while the next runs.</summary>
    public Task DisposeAsync() => site.CloseContextsAsync();

    /// <summary>What a page may show in Latin letters, and why.</summary>
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "CSV", "JSON", "PDF", "Excel", "Word", "xlsx", "docx", "zip", "UTF", "GB", // file kinds and encodings a person picks
        "Connectors", "CloudPlatform", "Progress", "Ingest", "Operations", "StaleAfter", // configuration keys ops type into the settings
        "MOOC", "MOOCs", // 主题 MOOC: the standard's own word
        "CIO", "PC", "STEAM", "VR", "APP", "Mbps", // the rubrics' item texts, word for word from the standards (seeds 001 and 004)
        "Bearer", "Authorization", "API", // how a token is used, for whoever writes a client
        "SHA", // SHA-256, the hash a random draw is ordered by, named so that anyone can draw it again
    };

    [Theory]
    [InlineData("jy-bureau")]
    [InlineData("jy-school")]
    [InlineData("ting-wang")]
    [InlineData("jy-audit")]
    [InlineData("ops-zhang")]
    public async Task The_pages_of_the_menu_show_no_English_words_or_internal_codes(string login)
    {
        var page = await site.NewPageAsync();
        await SignInAsync(page, login);
        var visited = new List<string> { page.Url };
        var links = await page.Locator("header.site nav a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        var found = new List<string>();
        foreach (var href in new[] { new Uri(page.Url).PathAndQuery }.Concat(links).Distinct(StringComparer.Ordinal))
        {
            // The job dashboard is Hangfire's own, in its own language; it is linked for ops and not part of this service's pages.
            if (href.StartsWith("/hangfire", StringComparison.Ordinal))
            {
                continue;
            }

            await page.GotoAsync(href);
            var text = await page.Locator("body").InnerTextAsync();
            foreach (Match m in Word().Matches(text))
            {
                if (!Allowed.Contains(m.Value))
                {
                    found.Add($"{href}: “{m.Value}” in “{Around(text, m.Index)}”");
                }
            }
        }

        found.ShouldBeEmpty();
    }

    private static string Around(string text, int index) => text.Substring(Math.Max(0, index - 20), Math.Min(50, text.Length - Math.Max(0, index - 20))).ReplaceLineEndings(" ");

    /// <summary>A word of two or more Latin letters (a code like 640424, 2023-2024 or a lone letter is not one).</summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9_.:/-])[A-Za-z]{2,}(?![A-Za-z0-9_])")]
    private static partial Regex Word();
}
