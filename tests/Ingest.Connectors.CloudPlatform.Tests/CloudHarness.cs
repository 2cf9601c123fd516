using System.Collections.Concurrent;
using Ingest.Connectors.CloudPlatform.Client;
using Ingest.Core.Connectors;
using Ingest.Core.Facts;
using Ingest.Core.Periods;
using Ingest.Fixtures.CloudPlatform;
using Ingest.Fixtures.Region;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ingest.Connectors.CloudPlatform.Tests;

/// <summary>
/// The connector as the host registers it (DI, Refit, resilience pipeline), pointed at a fake on a dynamic port.
/// Page sizes are small so the hand-written dataset spans several pages; delays are short so faults are quick.
/// </summary>
internal sealed class CloudHarness : IDisposable
{
    private readonly ServiceProvider services;

    /// <param name="tokenClock">The clock of the token cache only (the rate limiter keeps real time).</param>
    public CloudHarness(IRegionData? region = null, IDictionary<string, string?>? settings = null, FakeCloudOptions? fakeOptions = null,
        TimeProvider? tokenClock = null)
    {
        Fake = FakeCloudPlatform.Start(region ?? DatasetRegion.LoadShipped("cloud-tiny"), fakeOptions);
        var values = new Dictionary<string, string?>
        {
            ["Connectors:CloudPlatform:Enabled"] = "true",
            ["Connectors:CloudPlatform:BaseUrl"] = Fake.Url,
            ["Connectors:CloudPlatform:ClientId"] = Fake.Options.ClientId,
            ["Connectors:CloudPlatform:ClientSecret"] = Fake.Options.ClientSecret,
            ["Connectors:CloudPlatform:PageSize"] = "2",
            ["Connectors:CloudPlatform:CursorLimit"] = "3",
            ["Connectors:CloudPlatform:RetryDelay"] = "00:00:00.05",
            ["Connectors:CloudPlatform:AttemptTimeout"] = "00:00:01",
            ["Connectors:CloudPlatform:TotalTimeout"] = "00:00:30",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            values[k] = v;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var collection = new ServiceCollection().AddLogging().AddCloudPlatformConnector(configuration);
        if (tokenClock is not null)
        {
            collection.AddSingleton(sp => new TokenCache(sp.GetRequiredService<IServiceScopeFactory>(),
                sp.GetRequiredService<IOptions<CloudPlatformOptions>>(), tokenClock));
        }

        services = collection.BuildServiceProvider(validateScopes: true);
    }

    public FakeCloudPlatform Fake { get; }

    public CloudPlatformConnector Connector => services.GetRequiredService<CloudPlatformConnector>();

    public IServiceProvider Services => services;

    public async Task<(CountyBatch Batch, RecordingContext Context)> ReadAsync(string county, string period, RecordingContext? context = null)
    {
        context ??= new RecordingContext();
        var batch = await Connector.ReadCountyAsync(new CountyWork(1, county, Period.Parse(period)), context, CancellationToken.None);
        return (batch, context);
    }

    public void Dispose()
    {
        services.Dispose();
        Fake.Dispose();
    }
}

/// <summary>What the host would give the connector: archived pages are kept in memory, previous reports set by the test.</summary>
internal sealed class RecordingContext : IIngestionContext
{
    public ConcurrentQueue<RawPage> Pages { get; } = new();

    public Dictionary<string, StreamReport> Previous { get; } = [];

    public long RunId => 1;

    public Task ArchiveAsync(RawPage page, CancellationToken cancellationToken)
    {
        Pages.Enqueue(page);
        return Task.CompletedTask;
    }

    public Task<StreamReport?> PreviousReportAsync(string stream, string countyCode, string period, CancellationToken cancellationToken) =>
        Task.FromResult(Previous.GetValueOrDefault($"{stream}|{countyCode}|{period}"));

    public void ReportProgress(string stream, long rowsRead)
    {
    }

    public Task<IReadOnlyList<Ingest.Core.Organisations.Organisation>> SchoolsAsync(string countyCode, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The Education Cloud reads its own directory.");

    /// <summary>Where listings are spooled: in memory unless a test gives the database's store.</summary>
    public Ingest.Data.Raw.RowSpoolStore? Spools { get; init; }

    public async Task<IRowSpool> OpenSpoolAsync(string stream, CancellationToken cancellationToken) =>
        Spools is null ? new MemoryRowSpool() : await Spools.OpenAsync(RunId, "test", stream, cancellationToken);
}

internal static class FactLookup
{
    public static IndicatorFact Fact(this CountyBatch batch, string org, string indicator) =>
        batch.Facts.Single(f => f.OrgCode == org && f.IndicatorCode == indicator);

    public static decimal? Value(this CountyBatch batch, string org, string indicator) => batch.Fact(org, indicator).Value;

    /// <summary>Facts in a stable order with their values, for comparing two reads.</summary>
    public static string[] Canonical(this CountyBatch batch) =>
        batch.Facts.OrderBy(f => f.OrgCode, StringComparer.Ordinal).ThenBy(f => f.IndicatorCode, StringComparer.Ordinal)
            .Select(f => $"{f.OrgCode} {f.IndicatorCode} {f.Period} {f.Value} {f.Numerator} {f.Denominator} {f.Detail}").ToArray();
}
