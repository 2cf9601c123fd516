using Ingest.Core.Periods;

namespace Ingest.Core.Connectors;

/// <summary>
/// A source of indicator facts: one upstream system. The host fans a run out into one unit of work per
/// (connector, county, period) and calls <see cref="ReadCountyAsync"/> for each; one failing unit does not
/// stop the others.
/// </summary>
/// <remarks>
/// A connector reads and normalises; it does not write facts. It returns everything for the unit in one
/// <see cref="CountyBatch"/>, and the host commits that batch's facts, organisations and stream reports in a
/// single transaction together with the unit's checkpoint, so a crash never leaves half a county and a
/// rerun never duplicates a fact. Raw upstream answers go to <see cref="IIngestionContext.ArchiveAsync"/>
/// as they arrive, so the unit can be re-normalised without calling the upstream again.
/// </remarks>
public interface IConnector
{
    /// <summary>Short ASCII name, also the <c>source</c> of every fact it produces (<c>cloud</c>, <c>progress</c>).</summary>
    string Name { get; }

    /// <summary>The streams the connector reads and the period kinds each accepts.</summary>
    IReadOnlyList<StreamDescriptor> Streams { get; }

    /// <summary>Reads every stream that accepts <paramref name="work"/>'s period for one county.</summary>
    /// <exception cref="ConnectorException">The unit failed as a whole; the message says why and is recorded.</exception>
    Task<CountyBatch> ReadCountyAsync(CountyWork work, IIngestionContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Reads one county for every period of a night at once, so that what does not depend on the period (a directory,
    /// a snapshot listing) and what the periods share (overlapping date windows) is read once. One result per period,
    /// in the order given: its batch, or the exception that failed it alone. The default reads the periods one by one.
    /// </summary>
    /// <exception cref="ConnectorException">Every period failed for the same reason (a refused key, an unreadable listing they all need).</exception>
    async Task<IReadOnlyList<PeriodRead>> ReadCountyNightAsync(CountyNight work, IIngestionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var reads = new List<PeriodRead>();
        foreach (var period in work.Periods)
        {
            try
            {
                reads.Add(new PeriodRead(period, await ReadCountyAsync(new CountyWork(work.RunId, work.CountyCode, period), context, cancellationToken).ConfigureAwait(false), null));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                reads.Add(new PeriodRead(period, null, e));
            }
        }

        return reads;
    }
}

/// <summary>One county's periods of a night, read together (<see cref="IConnector.ReadCountyNightAsync"/>).</summary>
public sealed record CountyNight(long RunId, string CountyCode, IReadOnlyList<Period> Periods);

/// <summary>A period's part of a county night: its batch, or the exception that failed it.</summary>
public sealed record PeriodRead(Period Period, CountyBatch? Batch, Exception? Error);

/// <summary>
/// Implemented by the connector that owns the organisation directory (the Education Cloud's orgs endpoint):
/// the host asks it for the region's counties before fanning a run out.
/// </summary>
public interface IOrganisationDirectory
{
    /// <summary>The counties of the region, with their cities.</summary>
    Task<IReadOnlyList<Organisations.Organisation>> ReadCountiesAsync(IIngestionContext context, CancellationToken cancellationToken);

    /// <summary>The schools, teaching points and their parent schools of one county.</summary>
    Task<IReadOnlyList<Organisations.Organisation>> ReadSchoolsAsync(string countyCode, IIngestionContext context, CancellationToken cancellationToken);
}

/// <summary>A stream of a connector: one upstream listing or file.</summary>
/// <param name="Name">Stream name as recorded in runs (<c>teacher-activity</c>, <c>sessions</c> …).</param>
/// <param name="PeriodKinds">Kinds of period the stream can be read for.</param>
public sealed record StreamDescriptor(string Name, IReadOnlySet<PeriodKind> PeriodKinds)
{
    public bool Accepts(Period period) => PeriodKinds.Contains(period.Kind);
}

/// <summary>One unit of work: a connector's streams for one county and one period, within a run.</summary>
public sealed record CountyWork(long RunId, string CountyCode, Period Period);

/// <summary>The failure of a whole unit, with the reason operators will read.</summary>
public class ConnectorException : Exception
{
    public ConnectorException()
    {
    }

    public ConnectorException(string message)
        : base(message)
    {
    }

    public ConnectorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
