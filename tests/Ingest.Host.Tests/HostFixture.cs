using Ingest.Core.Connectors;
using Ingest.Data.Runs;
using Ingest.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ingest.Host.Tests;

/// <summary>Starts the real service on a dynamic loopback port against a database of the test's own.</summary>
internal static class HostFixture
{
    /// <summary>
    /// The tests run the service as a developer does: in Development, where the embedded database is allowed. Production
    /// (the .NET default when nothing is set) refuses to start without a configured one, which a test of its own checks.
    /// </summary>
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void Development()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")))
        {
            Environment.SetEnvironmentVariable("ASPNETCORE_ENVIRONMENT", "Development");
        }
    }

    /// <summary>
    /// A database of the test's own in the state a host leaves it at its first start: the service's schema, its role's
    /// rights and the scheduler's schema, cloned from a template made once per test process. A test of what a first start
    /// or a migration does takes an empty one (<see cref="TestPostgres.CreateEmptyDatabaseAsync"/>) instead.
    /// </summary>
    public static Task<string> DatabaseAsync() => TestPostgres.CreateFromTemplateAsync("service", async cs =>
    {
        await using (var owner = Npgsql.NpgsqlDataSource.Create(cs))
        {
            var migrator = new Ingest.Data.Schema.DatabaseMigrator(owner, Microsoft.Extensions.Logging.Abstractions.NullLogger<Ingest.Data.Schema.DatabaseMigrator>.Instance);
            await migrator.MigrateAsync();
            var app = await TestPostgres.AsApplicationRoleAsync(cs);
            if (app != cs)
            {
                await migrator.GrantApplicationRoleAsync(new Npgsql.NpgsqlConnectionStringBuilder(app).Username!);
            }
        }

        // The scheduler's schema, made as the host makes it: by the service's role.
        await using var connection = new Npgsql.NpgsqlConnection(await TestPostgres.AsApplicationRoleAsync(cs));
        await connection.OpenAsync();
        Hangfire.PostgreSql.PostgreSqlObjectsInstaller.Install(connection, new Ingest.Host.Scheduling.HangfireOptions().Schema);
    });

    /// <param name="services">Services registered last, e.g. a <c>FakeTimeProvider</c> for a test that moves time itself.</param>
    public static async Task<IngestWebHost> StartAsync(string? connectionString, TestConnector? connector = null,
        IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        // The service connects as the application role and migrates as the owner (the test's own superuser), as deployed.
        var values = new Dictionary<string, string?>
        {
            // A small pool per host: test classes run side by side against one test server.
            ["ConnectionStrings:Ingest"] = string.IsNullOrEmpty(connectionString) ? string.Empty : await TestPostgres.AsApplicationRoleAsync(connectionString) + ";Maximum Pool Size=20",
            ["ConnectionStrings:IngestOwner"] = string.IsNullOrEmpty(connectionString) ? string.Empty : connectionString + ";Maximum Pool Size=5",
            ["Ingest:Hangfire:WorkerCount"] = "2",
            ["Logging:LogLevel:Default"] = "Warning",
            // 佐证材料 content by SHA-256: one directory serves every test host, as one mount serves several hosts.
            ["Evidence:Directory"] = Path.Combine(Path.GetTempPath(), "ingest-test-evidence"),
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            values[k] = v;
        }

        var host = await IngestWebHost.BuildAsync(
            ["--urls", "http://127.0.0.1:0"],
            c => c.AddInMemoryCollection(values),
            s =>
            {
                if (connector is not null)
                {
                    s.AddSingleton<IConnector>(connector);
                    s.AddSingleton<IOrganisationDirectory>(connector);
                }

                services?.Invoke(s);
            });
        await host.StartAsync();
        return host;
    }

    /// <summary>A client that is not signed in.</summary>
    public static HttpClient Client(IngestWebHost host) => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Address(host) };

    public static Uri Address(IngestWebHost host) =>
        new(host.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>
    /// A client signed in with an API token of <paramref name="role"/> and <paramref name="scope"/>, named
    /// <paramref name="name"/> (the name that signs what it writes). The scope must be in the directory already.
    /// </summary>
    public static async Task<HttpClient> ClientAsAsync(IngestWebHost host, string role, string scope, string name)
    {
        var created = await host.App.Services.GetRequiredService<Ingest.Application.People.AccountService>()
            .CreateTokenAsync(Ingest.Application.People.Caller.CommandLine("测试"), name, role, scope, CancellationToken.None);
        var http = Client(host);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", created.Value.Token);
        return http;
    }

    public static Task<T> ScalarAsync<T>(string connectionString, string sql) => DataSourceQueries.ScalarAsync<T>(connectionString, sql);

    /// <summary>
    /// Waits until every Hangfire job has ended (succeeded, failed or deleted): whatever a job would still do has been
    /// done. One that does not within a minute fails the test, naming the jobs left.
    /// </summary>
    public static async Task WaitForJobsAsync(string connectionString)
    {
        const string open = "SELECT count(*) FROM hangfire.job WHERE statename IS NULL OR statename NOT IN ('Succeeded', 'Failed', 'Deleted')";
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await ScalarAsync<long>(connectionString, open) > 0)
        {
            if (waited.Elapsed > TimeSpan.FromMinutes(1))
            {
                var left = await ScalarAsync<string>(connectionString,
                    "SELECT string_agg(id || ' ' || coalesce(statename, 'created'), ', ') FROM hangfire.job WHERE statename IS NULL OR statename NOT IN ('Succeeded', 'Failed', 'Deleted')");
                throw new TimeoutException($"Hangfire jobs still open after a minute: {left}");
            }

            await Task.Delay(50);
        }
    }

    public static async Task<RunSummary> WaitForRunAsync(IngestWebHost host, long runId, int seconds = 30)
    {
        var runs = host.App.Services.GetRequiredService<RunReader>();
        for (var i = 0; i < seconds * 10; i++)
        {
            var run = (await runs.ListRunsAsync(50, CancellationToken.None)).Single(r => r.Id == runId);
            if (run.Status != "running")
            {
                return run;
            }

            await Task.Delay(100);
        }

        // Say where it stuck: the units' statuses and the Hangfire jobs' states.
        var cs = host.Database.ConnectionString;
        var units = await ScalarAsync<string>(cs,
            $"SELECT string_agg(county_code || '/' || period || ':' || status, ', ') FROM ingest.run_unit WHERE run_id = {runId}");
        var jobs = await ScalarAsync<string>(cs,
            "SELECT coalesce(string_agg(statename || ' ' || coalesce(left(arguments::text, 80), ''), '; '), 'none') FROM hangfire.job");
        throw new TimeoutException($"Run {runId} did not finish within {seconds} s. Units: {units}. Jobs: {jobs}");
    }
}
