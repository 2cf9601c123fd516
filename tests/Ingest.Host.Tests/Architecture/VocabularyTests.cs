using System.Reflection;
using Ingest.Data.Audit;

namespace Ingest.Host.Tests.Architecture;

/// <summary>Each word of the audit trail's vocabulary is written once in the sources: a new action is added there, not spelled in place.</summary>
public class VocabularyTests
{
    [Fact]
    public void Every_audit_action_is_spelled_in_exactly_one_place_in_the_sources()
    {
        var actions = typeof(AuditActions).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).ToArray();
        actions.Length.ShouldBe(44);
        var sources = Directory.EnumerateFiles(Path.Combine(Root(), "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (File: f, Text: File.ReadAllText(f))).ToArray();
        foreach (var action in actions)
        {
            sources.Where(s => s.Text.Contains('"' + action + '"', StringComparison.Ordinal)).Select(s => Path.GetFileName(s.File))
                .ShouldBe(["AuditActions.cs"], $"\"{action}\" is spelled in AuditActions and nowhere else");
        }
    }

    private static string Root()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Ingest.sln")))
        {
            root = root.Parent ?? throw new DirectoryNotFoundException("The repository root (Ingest.sln) is not above the tests.");
        }

        return root.FullName;
    }
}
