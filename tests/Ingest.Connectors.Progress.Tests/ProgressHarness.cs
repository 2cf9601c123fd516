using System.Collections.Concurrent;
using Ingest.Core.Connectors;
using Ingest.Core.Facts;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Fixtures.Progress;
using Ingest.Fixtures.Region;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ingest.Connectors.Progress.Tests;

/// <summary>
/// The connector as the host registers it (DI, Refit, API key handler, resilience pipeline), pointed at the
/// progress fake on a dynamic port over <c>fixtures/data/cloud-tiny.json</c>. Sessions come two to a page so the
/// small dataset spans several pages; retry delays are short so faults are quick.
/// </summary>
internal sealed class ProgressHarness : IDisposable
{
    private readonly ServiceProvider services;

    /// <param name="route">The base URL the connector is given for the fake's (a proxy in front of it, say).</param>
    public ProgressHarness(IDictionary<string, string?>? settings = null, FakeProgressOptions? fakeOptions = null, Func<string, string>? route = null)
    {
        Region = DatasetRegion.LoadShipped("cloud-tiny");
        Fake = FakeProgressSystem.Start(Region, fakeOptions);
        var values = new Dictionary<string, string?>
        {
            ["Connectors:Progress:Enabled"] = "true",
            ["Connectors:Progress:BaseUrl"] = route?.Invoke(Fake.Url) ?? Fake.Url,
            ["Connectors:Progress:ApiKey"] = Fake.Options.ApiKey,
            ["Connectors:Progress:SessionsPageSize"] = "2",
            ["Connectors:Progress:RetryDelay"] = "00:00:00.05",
            ["Connectors:Progress:AttemptTimeout"] = "00:00:05",
            ["Connectors:Progress:TotalTimeout"] = "00:00:30",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            values[k] = v;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        services = new ServiceCollection().AddLogging().AddProgressConnector(configuration).BuildServiceProvider(validateScopes: true);
    }

    public DatasetRegion Region { get; }

    public FakeProgressSystem Fake { get; }

    public ProgressConnector Connector => services.GetRequiredService<ProgressConnector>();

    public async Task<(CountyBatch Batch, DirectoryContext Context)> ReadAsync(string county, string period, DirectoryContext? context = null)
    {
        context ??= new DirectoryContext(Region);
        var batch = await Connector.ReadCountyAsync(new CountyWork(1, county, Period.Parse(period)), context, CancellationToken.None);
        return (batch, context);
    }

    public void Dispose()
    {
        services.Dispose();
        Fake.Dispose();
    }
}

/// <summary>What the host would give the connector: the directory from the dataset, archived answers kept in memory.</summary>
internal sealed class DirectoryContext(IRegionData region) : IIngestionContext
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

    public Task<IReadOnlyList<Organisation>> SchoolsAsync(string countyCode, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Organisation>>(region.Schools(countyCode)
            .Select(s => new Organisation(s.OrgCode, s.OrgName, OrgLevel.School, s.CountyCode, s.ParentSchoolCode, s.SchoolType, s.IsTeachingPoint,
                s.StudentCount, s.Status == 1))
            .ToArray());

    public void ReportProgress(string stream, long rowsRead)
    {
    }

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

    public static StreamReport Report(this CountyBatch batch, string stream) => batch.Streams.Single(s => s.Stream == stream);

    /// <summary>Facts in a stable order with their values, for comparing two reads.</summary>
    public static string[] Canonical(this CountyBatch batch) =>
        batch.Facts.OrderBy(f => f.OrgCode, StringComparer.Ordinal).ThenBy(f => f.IndicatorCode, StringComparer.Ordinal)
            .Select(f => $"{f.OrgCode} {f.IndicatorCode} {f.Period} {f.Value} {f.Numerator} {f.Denominator} {f.Detail}").ToArray();

    public static void ShouldBeRatio(this IndicatorFact fact, decimal numerator, decimal denominator)
    {
        fact.Numerator.ShouldBe(numerator, fact.OrgCode + " " + fact.IndicatorCode);
        fact.Denominator.ShouldBe(denominator, fact.OrgCode + " " + fact.IndicatorCode);
        fact.Value.ShouldBe(denominator == 0 ? null : numerator / denominator, fact.OrgCode + " " + fact.IndicatorCode);
    }
}
