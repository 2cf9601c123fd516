using System.CommandLine;
using Ingest.Application.Ingestion;
using Ingest.Host.Operations.Cli;
using Microsoft.Extensions.Options;

namespace Ingest.Host.Cli;

public static partial class IngestCli
{
    private static Command ServeCommand()
    {
        var command = new Command("serve", "Runs the service: HTTP API, health, OpenAPI, Hangfire server and dashboard, nightly schedule.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction((result, ct) => Guard(() => ServeAsync(result.UnmatchedTokens.ToArray(), ct)));
        return command;
    }

    private static async Task<int> ServeAsync(string[] args, CancellationToken ct)
    {
        await using var host = await IngestWebHost.BuildAsync(args, cancellationToken: ct);
        await host.RunAsync(ct);
        return 0;
    }

    private static Command MigrateCommand()
    {
        var command = new Command("migrate", "Brings the database to the current schema.");
        command.SetAction((_, ct) => Guard(async () =>
        {
            await using var host = await CliHost.StartAsync(migrate: false, ct);
            var applied = await host.Database.MigrateAsync(host.Services.GetRequiredService<ILoggerFactory>(), ct);
            Console.WriteLine(applied.Count == 0 ? "The database is up to date." : $"Applied: {string.Join(", ", applied)}");
            return 0;
        }));
        return command;
    }

    private static Command IngestCommand()
    {
        var cycle = new Option<string?>("--cycle") { Description = "Evaluation cycle, e.g. county:2024 or school:2024: reads every period it needs. Several joined by + (school:2025+county:2025) are one night: a period they share is read once." };
        var period = new Option<string?>("--period") { Description = "One explicit period instead: 2023, 2023-2024 or 2024-06-30." };
        var county = new Option<string[]>("--county") { Description = "County code (repeatable). Default: every county of the region.", AllowMultipleArgumentsPerToken = true };
        var connector = new Option<string[]>("--connector") { Description = "Connector name (repeatable). Default: all.", AllowMultipleArgumentsPerToken = true };
        var command = new Command("ingest", "Ingests now, in this process, and shows progress.") { cycle, period, county, connector };
        command.SetAction((r, ct) => Guard(async () =>
        {
            var request = IngestVerb.Parse(r.GetValue(cycle), r.GetValue(period), r.GetValue(county), r.GetValue(connector));
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var parallelism = host.Services.GetRequiredService<IOptions<ScheduleOptions>>().Value.CliParallelism;
            return await IngestVerb.RunAsync(host.Services.GetRequiredService<IngestionService>(), request, parallelism, ct);
        }));
        return command;
    }

    private static Command StatusCommand()
    {
        var command = new Command("status", "数据新鲜度：哪些县（区）的数据已过期、哪些最近一次采集失败及原因；有问题时退出码为 1，便于监控");
        command.SetAction((r, ct) => Guard(async () =>
        {
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var status = await host.Services.GetRequiredService<Ingest.Application.Operations.StatusService>().StatusAsync(ct);
            return Operations.Cli.ReportVerbs.ShowStatus(status);
        }));
        return command;
    }

    private static Command RunsCommand()
    {
        var limit = new Option<int>("--limit") { Description = "How many runs to list.", DefaultValueFactory = _ => 10 };
        var command = new Command("runs", "Lists recent runs with per-stream counts.") { limit };
        command.SetAction((r, ct) => Guard(async () =>
        {
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            await ReportVerbs.ShowRunsAsync(host.Services, r.GetValue(limit), ct);
            return 0;
        }));
        return command;
    }

    private static Command FactsCommand()
    {
        var org = new Option<string?>("--org") { Description = "Organisation code." };
        var indicator = new Option<string?>("--indicator") { Description = "Indicator code, e.g. cloud.app_index." };
        var period = new Option<string?>("--period") { Description = "Period code." };
        var limit = new Option<int>("--limit") { Description = "How many facts to show.", DefaultValueFactory = _ => 50 };
        var command = new Command("facts", "Shows current indicator facts.") { org, indicator, period, limit };
        command.SetAction((r, ct) => Guard(async () =>
        {
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            await ReportVerbs.ShowFactsAsync(host.Services, r.GetValue(org), r.GetValue(indicator), r.GetValue(period), r.GetValue(limit), ct);
            return 0;
        }));
        return command;
    }

    private static Command ConnectorsCommand()
    {
        var command = new Command("connectors", "Lists the registered connectors and the period kinds of their streams.");
        command.SetAction((_, ct) => Guard(async () =>
        {
            await using var host = await CliHost.StartAsync(migrate: false, ct);
            ReportVerbs.ShowConnectors(host.Services.GetRequiredService<ConnectorRegistry>());
            return 0;
        }));
        return command;
    }
}
