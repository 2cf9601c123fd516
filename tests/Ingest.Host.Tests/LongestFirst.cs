using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("Ingest.Host.Tests.LongestFirst", "Ingest.Host.Tests")]

namespace Ingest.Host.Tests;

/// <summary>A test class, or a collection definition, that takes many times longer than most: it starts first.</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class RunsLongAttribute : Attribute;

/// <summary>
/// Starts the classes marked <see cref="RunsLongAttribute"/> before the others: the suite runs four classes at a time,
/// and a long class started last would run alone at the end while the cores idle.
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    private const string PerClass = "Test collection for ";

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(c => RunsLong(c) ? 0 : 1).ThenBy(c => c.DisplayName, StringComparer.Ordinal);

    private static bool RunsLong(ITestCollection collection)
    {
        var type = collection.CollectionDefinition?.ToRuntimeType()
            ?? (collection.DisplayName.StartsWith(PerClass, StringComparison.Ordinal)
                ? typeof(LongestFirst).Assembly.GetType(collection.DisplayName[PerClass.Length..])
                : null);
        return type?.GetCustomAttribute<RunsLongAttribute>() is not null;
    }
}
