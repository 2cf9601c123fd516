using System.CommandLine;
using System.Text.RegularExpressions;
using Ingest.Host.Cli;

namespace Ingest.Host.Tests.Cli;

/// <summary>The command line's help reads in one language, Chinese, as the people who run the verbs read it.</summary>
public partial class CliHelpTests
{
    [Fact]
    public void Every_verb_and_option_is_described_in_Chinese()
    {
        var english = new List<string>();
        var verbs = 0;
        Walk(IngestCli.Root(), "ingest");
        verbs.ShouldBeGreaterThan(20, "the walk reached the verbs");
        english.ShouldBeEmpty();

        void Walk(Command command, string path)
        {
            verbs++;
            Check(path, command.Description);
            foreach (var option in command.Options.Where(o => !o.Name.StartsWith("--help", StringComparison.Ordinal) && o.Name is not ("--version" or "-h" or "-?")))
            {
                Check($"{path} {option.Name}", option.Description);
            }

            foreach (var sub in command.Subcommands)
            {
                Walk(sub, $"{path} {sub.Name}");
            }
        }

        void Check(string what, string? description)
        {
            if (string.IsNullOrWhiteSpace(description) || !Chinese().IsMatch(description))
            {
                english.Add($"{what}: “{description}”");
            }
        }
    }

    [Fact]
    public void Every_verbs_help_as_printed_has_no_English_words_but_names_and_codes()
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var helps = 0;
        Walk(IngestCli.Root(), []);
        helps.ShouldBeGreaterThan(20, "the walk printed the verbs' help");
        found.ShouldBeEmpty();

        void Walk(Command command, string[] path)
        {
            var root = IngestCli.Root();
            var text = IngestCli.Help(root.Parse([.. path, "--help"]));
            helps++;
            text.ShouldContain("用法", Case.Sensitive, string.Join(' ', path));
            // Option names, their value names and the verbs themselves are what a person types: codes, not words.
            var words = Codes().Replace(text, " ");
            foreach (System.Text.RegularExpressions.Match m in Ascii().Matches(words))
            {
                if (!Allowed.Contains(m.Value) && !Verbs.Value.Contains(m.Value))
                {
                    found.Add($"{string.Join(' ', path)}: {m.Value}");
                }
            }

            foreach (var sub in command.Subcommands)
            {
                Walk(sub, [.. path, sub.Name]);
            }
        }
    }

    /// <summary>Names and codes the help may show as they are: the program, formats, the upstreams' own codes, units.</summary>
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "Ingest", "Host", "ingest", "school", "county", "cloud", "progress", "csv", "CSV", "xlsx", "Excel", "PDF", "pdf", "json", "JSON", "docx", "Word",
        "zip", "txt", "UTF", "GB", "http", "https", "urls", "cron", "Asia", "Shanghai", "API", "ID", "id", "HTML", "stdin", "bureau", "department", "self",
        "appsettings", "MB", "KB", "GiB", "URL", "Hangfire", "PostgreSQL", "SHA", "ops", "auditor", "admin", "H1", "H2", "true", "false", "score",
    };

    private static readonly Lazy<HashSet<string>> Verbs = new(() =>
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        void Add(Command c)
        {
            names.Add(c.Name);
            foreach (var sub in c.Subcommands)
            {
                Add(sub);
            }
        }

        Add(IngestCli.Root());
        return names;
    });

    /// <summary>Option names (--county), their value names (&lt;county&gt;), the help option's aliases, and examples such as school:2025 or 2023H1.</summary>
    [GeneratedRegex(@"--?[A-Za-z?][A-Za-z0-9-]*|<[^>]+>|\b[a-z]+:\d{4}\b|\b\d{4}H[12]\b|[A-Za-z]+:[A-Za-z]+(:[A-Za-z0-9]+)*|\w+__\w+|\b[a-z]+\.[a-z_-]+\b|\b[a-z]+=\d+")]
    private static partial Regex Codes();

    [GeneratedRegex(@"[A-Za-z]{2,}")]
    private static partial Regex Ascii();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();
}
