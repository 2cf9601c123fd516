using Ingest.Core.Connectors;
using Ingest.Core.Facts;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;

namespace Ingest.Host.Tests;

/// <summary>
/// A connector for the host's own tests: each county has two schools with fixed teacher counts; a county in
/// <see cref="Forbidden"/> fails the way an upstream refusal (40301) does.
/// </summary>
internal sealed class TestConnector : IConnector, IOrganisationDirectory
{
    /// <summary>What the directory answers (none by default).</summary>
    public List<Organisation> DirectoryCounties { get; } = [];

    public HashSet<string> Forbidden { get; } = [];

    public int Reads;

    /// <summary>Counties whose read waits until the gate is opened (or the read is cancelled).</summary>
    public Dictionary<string, TaskCompletionSource> Gates { get; } = [];

    /// <summary>Set when a read reaches a closed gate.</summary>
    public TaskCompletionSource AtGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Signalled when the county's read reaches its gate (set one up for each county to watch).</summary>
    public Dictionary<string, TaskCompletionSource> Reached { get; } = [];

    public string Name => "test";

    public IReadOnlyList<StreamDescriptor> Streams { get; } =
        [new StreamDescriptor("teacher-activity", new HashSet<PeriodKind> { PeriodKind.CalendarYear, PeriodKind.SchoolYear })];

    public async Task<IReadOnlyList<Organisation>> ReadCountiesAsync(IIngestionContext context, CancellationToken cancellationToken)
    {
        await context.ArchiveAsync(new RawPage("orgs", null, null, 0, "GET /orgs?level=county", 200, "application/json",
            "{\"list\":[]}"u8.ToArray(), DateTimeOffset.UnixEpoch), cancellationToken);
        return DirectoryCounties;
    }

    /// <summary>The directory's schools: none, so a connector that asks falls back to the stored directory.</summary>
    public Task<IReadOnlyList<Organisation>> ReadSchoolsAsync(string countyCode, IIngestionContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Organisation>>([]);

    public async Task<CountyBatch> ReadCountyAsync(CountyWork work, IIngestionContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Reads);
        if (Gates.TryGetValue(work.CountyCode, out var gate))
        {
            AtGate.TrySetResult();
            if (Reached.TryGetValue(work.CountyCode, out var reached))
            {
                reached.TrySetResult();
            }

            await gate.Task.WaitAsync(cancellationToken);
        }

        if (Forbidden.Contains(work.CountyCode))
        {
            throw new ConnectorException($"county {work.CountyCode}: 40301 this client may not read that county");
        }

        await context.ArchiveAsync(new RawPage("teacher-activity", work.CountyCode, work.Period.Code, 0, "GET /test", 200, "application/json",
            "{\"list\":[]}"u8.ToArray(), DateTimeOffset.UnixEpoch), cancellationToken);
        IndicatorFact[] facts =
        [
            new(work.CountyCode + "0001", "cloud.teacher_accounts", work.Period.Code, Name, 40m),
            new(work.CountyCode + "0002", "cloud.teacher_accounts", work.Period.Code, Name, 25m),
            new(work.CountyCode, "cloud.teacher_accounts", work.Period.Code, Name, 65m),
        ];
        return new CountyBatch(facts, [], [new StreamReport("teacher-activity", StreamStatus.Succeeded, 1, 65, 65, facts.Length)]);
    }
}
