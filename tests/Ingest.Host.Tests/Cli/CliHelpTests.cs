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

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();
}
