using System.CommandLine;
using Ingest.Application.Ingestion;
using Ingest.Data.Embedded;
using Ingest.Data.Schema;
using Ingest.Host.Scoring.Cli;
using Microsoft.Extensions.Options;
using Npgsql;
using Spectre.Console;

namespace Ingest.Host.Cli;

/// <summary>
/// The executable's verbs. Without a verb it serves (HTTP API, Hangfire server, nightly schedule).
/// Every verb fails with one clear line on standard error and a non-zero exit.
/// </summary>
public static partial class IngestCli
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

        var root = Root();
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

        if (parsed.Action is System.CommandLine.Help.HelpAction)
        {
            await Console.Out.WriteAsync(Help(parsed));
            return 0;
        }

        // On Ctrl+C or SIGTERM the verb's token is cancelled; give it time to record what it abandoned, let
        // Hangfire hand back its jobs and stop a local cluster it started, before the process is ended.
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(60) });
    }

    /// <summary>Every verb and option, as <c>--help</c> shows them.</summary>
    internal static RootCommand Root()
    {
        var root = new RootCommand("宁夏“互联网+教育”数据采集与评分：从宁夏教育云和教育信息化工作进展系统采集网上数据，形成指标数据，预填评分表");
        root.Subcommands.Add(ServeCommand());
        root.Subcommands.Add(MigrateCommand());
        root.Subcommands.Add(IngestCommand());
        root.Subcommands.Add(RunsCommand());
        root.Subcommands.Add(StatusCommand());
        root.Subcommands.Add(FactsCommand());
        root.Subcommands.Add(ConnectorsCommand());
        root.Subcommands.Add(ScoresheetVerbs.Command(Guard));
        root.Subcommands.Add(Audit.Cli.ClaimsVerbs.Command(Guard));
        root.Subcommands.Add(Audit.Cli.OversightVerbs.Command(Guard));
        root.Subcommands.Add(Audit.Cli.VisitVerbs.Command(Guard));
        root.Subcommands.Add(Scoring.Cli.RemediationVerbs.Remediation(Guard));
        root.Subcommands.Add(Scoring.Cli.RemediationVerbs.Bulletin(Guard));
        root.Subcommands.Add(Year.Cli.RosterVerbs.Command(Guard));
        root.Subcommands.Add(Year.Cli.LevelVerbs.Command(Guard));
        foreach (var command in People.PeopleVerbs.Commands(Guard))
        {
            root.Subcommands.Add(command);
        }

        return root;
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

    /// <summary>
    /// The help a parse asks for, in Chinese throughout: System.CommandLine translates its headings but leaves a few of its
    /// own words in English (the description heading, the help option, defaults, the serve verb's pass-through arguments).
    /// </summary>
    internal static string Help(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        using var output = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        var culture = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("zh-Hans");
        try
        {
            parsed.Invoke(new InvocationConfiguration { Output = output });
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = culture;
        }

        return output.ToString()
            .Replace("Description:", "说明:", StringComparison.Ordinal)
            .Replace("Show help and usage information", "显示帮助和用法", StringComparison.Ordinal)
            .Replace("Show version information", "显示版本信息", StringComparison.Ordinal)
            .Replace("[default: ", "[默认: ", StringComparison.Ordinal)
            .Replace("Arguments passed to the application that is being run.", "传给网页服务的其他参数，如 --urls http://0.0.0.0:8080", StringComparison.Ordinal)
            .Replace("<additional arguments>", "<其他参数>", StringComparison.Ordinal)
            .Replace("[options]", "[选项]", StringComparison.Ordinal)
            .Replace(" (REQUIRED)", "（必填）", StringComparison.Ordinal)
            .Replace("[command]", "[命令]", StringComparison.Ordinal);
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
                                       or ProductionSafetyException or CommandRefusedException or Documents.PrintFailedException or Documents.PrinterBusyException)
        {
            await Console.Error.WriteLineAsync("ingest: " + OneLine(e));
            return 1;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("ingest: 已取消");
            return 130;
        }
    }

    private static string OneLine(Exception e)
    {
        var text = e switch
        {
            // Data annotations wrap each message in English ("DataAnnotation validation failed for … with the error: '…'."): the message alone.
            OptionsValidationException o => "配置有误：" + string.Join("；", o.Failures.Select(f =>
                System.Text.RegularExpressions.Regex.Match(f, "with the error: '(?<m>.*)'\\.?$") is { Success: true } m ? m.Groups["m"].Value : f)),
            NpgsqlException n => "数据库：" + n.Message,
            _ => e.Message,
        };
        return text.ReplaceLineEndings(" ");
    }
}
