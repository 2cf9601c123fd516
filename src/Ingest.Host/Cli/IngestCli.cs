using System.CommandLine;
using Ingest.Application.Ingestion;
using Ingest.Data.Embedded;
using Ingest.Data.Schema;
using Ingest.Host.Operations.Cli;
using Ingest.Host.Scoring.Cli;
using Microsoft.Extensions.Options;
using Npgsql;
using Spectre.Console;

namespace Ingest.Host.Cli;

/// <summary>
/// The executable's verbs. Without a verb it serves (HTTP API, Hangfire server, nightly schedule).
/// Every verb fails with one clear line on standard error and a non-zero exit.
/// </summary>
public static class IngestCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        // Parse errors and help reach rating staff: System.CommandLine's own messages in Chinese.
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("zh-Hans");
        if (Console.IsOutputRedirected)
        {
            // Piped to a file or a log, tables keep their columns instead of wrapping at 80 characters.
            AnsiConsole.Profile.Width = 200;
        }

        var root = new RootCommand("Ingest: online-collected figures of Ningxia's Internet+Education rubrics, from the upstreams to indicator facts.");
        root.Subcommands.Add(ServeCommand());
        root.Subcommands.Add(MigrateCommand());
        root.Subcommands.Add(IngestCommand());
        root.Subcommands.Add(RunsCommand());
        root.Subcommands.Add(StatusCommand());
        root.Subcommands.Add(FactsCommand());
        root.Subcommands.Add(ConnectorsCommand());
        root.Subcommands.Add(ScoresheetVerbs.Command(Guard));
        root.Subcommands.Add(Audit.Cli.ClaimsVerbs.Command(Guard));
        foreach (var command in People.PeopleVerbs.Commands(Guard))
        {
            root.Subcommands.Add(command);
        }

        // No verb: serve. ASP.NET Core options without a verb (--urls …) are the serve verb's; every other verb is strict,
        // so a stray word is an error rather than silently dropped.
        root.SetAction((_, ct) => Guard(() => ServeAsync([], ct)));
        if (args.Length > 0 && args[0].StartsWith("--", StringComparison.Ordinal) && args[0] is not ("--help" or "--version"))
        {
            args = ["serve", .. args];
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
        {
            // One line, in the reader's language (System.CommandLine ships its messages in Chinese), and where to look.
            var verb = string.Join(' ', parsed.CommandResult.Command.Name == root.Name ? [] : CommandPath(parsed.CommandResult));
            await Console.Error.WriteLineAsync("ingest: " + string.Join("；", parsed.Errors.Select(e => Chinese(e.Message)))
                + $"（用法：ingest {verb}{(verb.Length > 0 ? " " : string.Empty)}--help）");
            return 1;
        }

        // On Ctrl+C or SIGTERM the verb's token is cancelled; give it time to record what it abandoned, let
        // Hangfire hand back its jobs and stop a local cluster it started, before the process is ended.
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(60) });
    }

    /// <summary>The few parse messages System.CommandLine does not translate, in Chinese; the quoting made plain.</summary>
    private static string Chinese(string message)
    {
        var m = System.Text.RegularExpressions.Regex.Match(message, "^Option '(?<name>[^']+)' is required");
        var text = m.Success ? $"缺少必填选项 {m.Groups["name"].Value}" : message;
        return text.Replace("“'", "“", StringComparison.Ordinal).Replace("'”", "”", StringComparison.Ordinal).TrimEnd('。', '.');
    }

    private static Stack<string> CommandPath(System.CommandLine.Parsing.SymbolResult? result)
    {
        var names = new Stack<string>();
        for (var r = result; r is not null; r = r.Parent)
        {
            if (r is System.CommandLine.Parsing.CommandResult c && c.Parent is not null)
            {
                names.Push(c.Command.Name);
            }
        }

        return names;
    }

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

    /// <summary>Turns the failures a user can act on into one line on standard error and exit code 1.</summary>
    private static async Task<int> Guard(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is EmbeddedPostgresException or IngestionPlanException or MigrationException or FormatException
                                       or OptionsValidationException or NpgsqlException or Ingest.Core.Sheets.ScoresheetException
                                       or ProductionSafetyException or Ingest.Data.People.AccountException)
        {
            await Console.Error.WriteLineAsync("ingest: " + OneLine(e));
            return 1;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("ingest: cancelled");
            return 130;
        }
    }

    private static string OneLine(Exception e)
    {
        var text = e switch
        {
            OptionsValidationException o => "configuration: " + string.Join("; ", o.Failures),
            NpgsqlException n => "database: " + n.Message,
            _ => e.Message,
        };
        return text.ReplaceLineEndings(" ");
    }
}
