using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Core.Periods;
using Ingest.Host;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ingest.Bench;

/// <summary>
/// The pages under the deadline week's load: a region of 1,980 schools in 22 counties with every school sheet pre-filled,
/// the service on the loopback, and <c>users</c> people signed in with their own cookie sessions (schools, bureaus, the
/// department, auditors), each doing what raters do in the last week before the deadline, with a pause to read between
/// two clicks. Bounded in count (each person at most <see cref="ActionsPerUser"/> actions) and in time. Then the 认定表
/// PDF: a first printout and the same one again (kept by its content's digest).
/// </summary>
internal static partial class PageLoad
{
    public const int ActionsPerUser = 40;

    /// <summary>The bytes of each answer read, by kind.</summary>
    private static readonly ConcurrentDictionary<string, ConcurrentBag<int>> Sizes = new(StringComparer.Ordinal);
    private const string Password = "基准测试口令-2026";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly EvaluationCycle School = EvaluationCycle.Parse("school:2025");

    /// <param name="think">The pause to read between two clicks, drawn evenly between these seconds.</param>
    public static async Task RunAsync(string connectionString, string applicationRole, int users, TimeSpan duration, (double Min, double Max) think)
    {
        await using var ds = NpgsqlDataSource.Create(connectionString);
        var clock = Stopwatch.StartNew();
        var service = new NpgsqlConnectionStringBuilder(connectionString) { Username = applicationRole }.ConnectionString;
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Ingest"] = service,
            ["ConnectionStrings:IngestOwner"] = connectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            // Every person here comes from 127.0.0.1: the per-address sign-in limit is for one address's guesses, not a province.
            ["Ingest:People:SignInsPerAddressPerMinute"] = "100000",
        };

        // The region, its sheets and its people, written through the service's own code (migrated as the owner).
        int counties, sheets;
        List<Person> people;
        await using (var setup = await IngestWebHost.BuildAsync([], c => c.AddInMemoryCollection(settings)))
        {
            (counties, _, _) = await Shapes.SeedAsync(ds, schools: 1980, schoolsPerCounty: 90, regionName: "宁夏回族自治区");
            sheets = (await setup.App.Services.GetRequiredService<ScoresheetPrefill>().BuildRegionAsync(School, Ingest.Data.Audit.Actor.CommandLine("基准测试"), CancellationToken.None)).Sheets;
            people = await PeopleAsync(setup.App.Services.GetRequiredService<AccountService>(), users, counties);
        }

        // The service as deployed: a process of its own, in Production, as the application role, with its job server.
        await using var server = await ServiceProcess.StartAsync(settings);
        var address = server.Address;
        Console.WriteLine(string.Create(Inv,
            $"Pages under load: 1,980 schools in {counties} counties, {sheets:N0} school sheets pre-filled, {people.Count} accounts; set up in {clock.Elapsed.TotalSeconds:F0} s"));
        Console.WriteLine($"  the service: a process of its own (Production, server GC) on {address}; the people: this process");

        clock.Restart();
        var sessions = new Session[people.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, people.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            sessions[i] = await Session.SignInAsync(address, people[i]));
        Console.WriteLine(string.Create(Inv, $"  {sessions.Length} people signed in in {clock.Elapsed.TotalSeconds:F1} s (not timed below)"));

        var timings = new ConcurrentDictionary<string, ConcurrentBag<double>>(StringComparer.Ordinal);
        var errors = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource(duration);
        clock.Restart();
        await Task.WhenAll(sessions.Select((s, i) => Task.Run(() => s.WorkAsync(new Random(i), think, timings, errors, stop.Token))));
        var wall = clock.Elapsed.TotalSeconds;
        var (cpu, peak) = server.Usage();
        var total = timings.Values.Sum(t => t.Count);
        Console.WriteLine(string.Create(Inv,
            $"  {users} people at once for {wall:F0} s, {think.Min:0.#}–{think.Max:0.#} s between two clicks: {total:N0} requests ({total / wall:F1} a second), {errors.Count} errors; the service used {cpu:F0} s of CPU since it started ({cpu / wall:F2} cores over the run at most), peak working set {peak:F0} MiB"));
        Console.WriteLine("  what                         count    p50 ms   p95 ms   max ms   KB each   target p95");
        foreach (var (kind, target) in Kinds)
        {
            if (timings.TryGetValue(kind, out var bag) && !bag.IsEmpty)
            {
                var sorted = bag.Order().ToArray();
                Console.WriteLine(string.Create(Inv,
                    $"  {kind,-26} {sorted.Length,7:N0} {Percentile(sorted, 0.50),9:F0} {Percentile(sorted, 0.95),8:F0} {sorted[^1],8:F0} {(Sizes.TryGetValue(kind, out var size) ? size.Average() / 1024 : 0),9:F0}   ≤ {target} ms {(Percentile(sorted, 0.95) <= target ? "met" : "NOT met")}"));
            }
        }

        foreach (var e in errors.Take(10))
        {
            Console.WriteLine("  error: " + e);
        }

        foreach (var f in server.Failures().Take(5))
        {
            Console.WriteLine("  the service logged: " + f);
        }

        await PdfAsync(sessions.First(s => s.Person.Role == Roles.School));
        foreach (var s in sessions)
        {
            s.Dispose();
        }
    }

    /// <summary>The requests timed, with the p95 each must meet (ms): pages 300, a save 150.</summary>
    private static readonly (string Kind, int Target)[] Kinds =
    [
        ("county overview", 300), ("school sheet", 300), ("entry save (in place)", 150), ("填报表 download", 300), ("填报表 upload", 300),
        ("claims report", 300), ("region", 300),
    ];

    private static async Task PdfAsync(Session school)
    {
        var path = $"/api/scoresheets/{School}/{school.Person.Org}/form.pdf";
        var first = await school.TimeAsync(path);
        var again = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            again.Add(await school.TimeAsync(path));
        }

        again.Sort();
        Console.WriteLine(string.Create(Inv,
            $"  认定表 PDF: first {first:F0} ms (target ≤ 2000), the same again ×10: median {again[5]:F0} ms, max {again[^1]:F0} ms (target ≤ 200)"));
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>
    /// Who is at work in the deadline week: a bureau rater for each county, two from the department, one auditor for each
    /// of four counties, and schools for the rest, spread over the counties.
    /// </summary>
    private static async Task<List<Person>> PeopleAsync(AccountService accounts, int users, int counties)
    {
        var caller = Caller.CommandLine("基准测试");
        var people = new List<Person>();
        for (var c = 0; c < counties; c++)
        {
            people.Add(new Person($"bureau{c}", Roles.Bureau, Shapes.CountyCode(c), Shapes.CountyCode(c)));
        }

        people.Add(new Person("ting0", Roles.Department, "640000", null));
        people.Add(new Person("ting1", Roles.Department, "640000", null));
        for (var c = 0; c < 4; c++)
        {
            people.Add(new Person($"audit{c}", Roles.Auditor, Shapes.CountyCode(c), Shapes.CountyCode(c)));
        }

        for (var s = 0; people.Count < users || s == 0; s++)
        {
            // Schools 0, 11, 22, … : every county has some (school s is in county s mod 22).
            var code = Shapes.SchoolCode(s * 11);
            people.Add(new Person($"school{s}", Roles.School, code, Shapes.CountyCode(s * 11 % counties)));
        }

        await Parallel.ForEachAsync(people, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (p, ct) =>
        {
            var made = await accounts.CreateAsync(caller, p.Login, p.Login, p.Role, p.Org, Password, ct);
            if (made.Refusal is { } r)
            {
                throw new InvalidOperationException($"{p.Login}: {r.Message}");
            }
        });
        return people;
    }

    internal sealed record Person(string Login, string Role, string Org, string? County);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("<form method=\"post\" class=\"entry-form no-print\" id=\"form-[^\"]*\" action=\"([^\"]+)\">\\s*<input type=\"hidden\" name=\"target\" value=\"([^\"]+)\">\\s*<label for=\"score-[^>]+>[^<]*</label>\\s*<input type=\"text\" inputmode=\"decimal\"[^>]*>\\s*<label[^>]*>[^<]*</label>\\s*<input type=\"text\" class=\"reason\"[^>]*placeholder=\"理由（(?:可选|撤回时必填)）\"")]
    private static partial Regex OnSiteScoreForm();

    /// <summary>One person's browser: its cookies, and what it does in a working session.</summary>
    internal sealed class Session(Person person, HttpClient http) : IDisposable
    {
        public Person Person { get; } = person;

        public static async Task<Session> SignInAsync(Uri address, Person person)
        {
            var http = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.All })
            {
                BaseAddress = address,
                Timeout = TimeSpan.FromSeconds(60),
            };
            var form = await http.GetStringAsync(new Uri("/signin", UriKind.Relative));
            using var body = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Login"] = person.Login,
                ["Password"] = Password,
                ["__RequestVerificationToken"] = Token().Match(form).Groups[1].Value,
            });
            using var signedIn = await http.PostAsync(new Uri("/signin", UriKind.Relative), body);
            if (signedIn.StatusCode != HttpStatusCode.Redirect)
            {
                throw new InvalidOperationException($"{person.Login} could not sign in: {(int)signedIn.StatusCode}");
            }

            return new Session(person, http);
        }

        /// <summary>A GET timed end to end (the whole body read), in ms; a status other than 200 throws.</summary>
        public async Task<double> TimeAsync(string path)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseContentRead);
            _ = await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode}");
            }

            return clock.Elapsed.TotalMilliseconds;
        }

        public async Task WorkAsync(Random random, (double Min, double Max) think, ConcurrentDictionary<string, ConcurrentBag<double>> timings, ConcurrentBag<string> errors, CancellationToken stop)
        {
            var school = Person.Role == Roles.School ? Person.Org : null;
            for (var action = 0; action < ActionsPerUser && !stop.IsCancellationRequested; action++)
            {
                try
                {
                    // A person reads before the next click.
                    await Task.Delay(TimeSpan.FromSeconds(think.Min + random.NextDouble() * (think.Max - think.Min)), stop);
                    var step = action % 6;
                    switch (Person.Role)
                    {
                        case Roles.School:
                            await (step switch
                            {
                                0 or 3 => SheetAndSaveAsync(school!, timings, random),
                                1 => GetAsync("school sheet", $"/sheets/{School}/{school}", timings),
                                2 => FillAsync(school!, timings),
                                4 => GetAsync("claims report", $"/audit/claims/{School}/{Person.County}", timings),
                                _ => GetAsync("填报表 download", $"/api/scoresheets/{School}/{school}/fill.xlsx", timings),
                            });
                            break;
                        case Roles.Bureau:
                            var one = Shapes.SchoolCode(int.Parse(Person.Org, Inv) - 100000 + 22 * random.Next(90));
                            await (step switch
                            {
                                0 => GetAsync("county overview", $"/counties/{Person.Org}/{School}", timings),
                                1 or 4 => SheetAndSaveAsync(one, timings, random),
                                2 => GetAsync("claims report", $"/audit/claims/{School}/{Person.Org}", timings),
                                3 => FillAsync(one, timings),
                                _ => GetAsync("school sheet", $"/sheets/{School}/{one}", timings),
                            });
                            break;
                        case Roles.Department:
                            await (step % 2 == 0
                                ? GetAsync("region", $"/region/{School}", timings)
                                : GetAsync("county overview", $"/counties/{Shapes.CountyCode(random.Next(22))}/{School}", timings));
                            break;
                        default:
                            await (step % 2 == 0
                                ? GetAsync("claims report", $"/audit/claims/{School}/{Person.Org}", timings)
                                : GetAsync("county overview", $"/counties/{Person.Org}/{School}", timings));
                            break;
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException)
                {
                    errors.Add($"{Person.Login}: {e.Message}");
                }
            }
        }

        private async Task<byte[]> GetAsync(string kind, string path, ConcurrentDictionary<string, ConcurrentBag<double>> timings)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            var body = await response.Content.ReadAsByteArrayAsync();
            Record(timings, kind, clock);
            Sizes.GetOrAdd(kind, _ => []).Add(body.Length);
            return response.StatusCode == HttpStatusCode.OK ? body : throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode}");
        }

        /// <summary>Opens a sheet and saves a score on one of its on-site lines in the caller's column, in place.</summary>
        private async Task SheetAndSaveAsync(string org, ConcurrentDictionary<string, ConcurrentBag<double>> timings, Random random)
        {
            var html = System.Text.Encoding.UTF8.GetString(await GetAsync("school sheet", $"/sheets/{School}/{org}", timings));
            var forms = OnSiteScoreForm().Matches(html);
            if (forms.Count == 0)
            {
                throw new InvalidOperationException($"{org}: no on-site score line to save in the caller's column");
            }

            var form = forms[random.Next(forms.Count)];
            using var body = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["target"] = form.Groups[2].Value,
                ["score"] = random.Next(2) == 0 ? "1" : "0.5",
                ["reason"] = string.Empty,
                ["__RequestVerificationToken"] = Token().Match(html).Groups[1].Value,
            });
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(WebUtility.HtmlDecode(form.Groups[1].Value), UriKind.Relative)) { Content = body };
            request.Headers.Add("X-Sheet-Line", "1");
            var clock = Stopwatch.StartNew();
            using var response = await http.SendAsync(request);
            var answer = await response.Content.ReadAsStringAsync();
            Record(timings, "entry save (in place)", clock);
            if (response.StatusCode != HttpStatusCode.OK || !response.Headers.Contains("X-Sheet-Line") || answer.Contains("role=\"alert\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"save {org} {form.Groups[2].Value}: {(int)response.StatusCode}");
            }
        }

        /// <summary>Downloads the caller's 填报表 of a sheet and uploads it back, as a rater does after filling it in Excel.</summary>
        private async Task FillAsync(string org, ConcurrentDictionary<string, ConcurrentBag<double>> timings)
        {
            var workbook = await GetAsync("填报表 download", $"/api/scoresheets/{School}/{org}/fill.xlsx", timings);
            var page = await http.GetStringAsync(new Uri($"/sheets/{School}/{org}", UriKind.Relative));
            using var body = new MultipartFormDataContent
            {
                { new ByteArrayContent(workbook), "file", $"{org}.xlsx" },
                { new StringContent(Token().Match(page).Groups[1].Value), "__RequestVerificationToken" },
            };
            var clock = Stopwatch.StartNew();
            using var response = await http.PostAsync(new Uri($"/sheets/{School}/{org}?handler=import", UriKind.Relative), body);
            _ = await response.Content.ReadAsByteArrayAsync();
            Record(timings, "填报表 upload", clock);
            if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString.Contains("saved=import", StringComparison.Ordinal) != true)
            {
                throw new InvalidOperationException($"upload {org}: {(int)response.StatusCode}");
            }
        }

        private static void Record(ConcurrentDictionary<string, ConcurrentBag<double>> timings, string kind, Stopwatch clock) =>
            timings.GetOrAdd(kind, _ => []).Add(clock.Elapsed.TotalMilliseconds);

        public void Dispose() => http.Dispose();
    }
}
