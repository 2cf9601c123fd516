using Ingest.Core.Connectors;

namespace Ingest.Application.Ingestion;

/// <summary>The connectors registered in DI, by name.</summary>
public sealed class ConnectorRegistry
{
    private readonly Dictionary<string, IConnector> byName;

    public ConnectorRegistry(IEnumerable<IConnector> connectors, IEnumerable<IOrganisationDirectory> directories)
    {
        byName = connectors.ToDictionary(c => c.Name, StringComparer.Ordinal);
        Directory = directories.FirstOrDefault();
    }

    public IReadOnlyCollection<IConnector> All => byName.Values;

    /// <summary>The source of the region's counties, when a connector provides one.</summary>
    public IOrganisationDirectory? Directory { get; }

    /// <exception cref="ArgumentException">No connector has that name.</exception>
    public IConnector Get(string name) => byName.TryGetValue(name, out var connector)
        ? connector
        : throw new ArgumentException(
            $"没有名为“{name}”的数据源；已配置的数据源：{(byName.Count == 0 ? "无" : string.Join("、", byName.Keys.Order(StringComparer.Ordinal)))}",
            nameof(name));
}
