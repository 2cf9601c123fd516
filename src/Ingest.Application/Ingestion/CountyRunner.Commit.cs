using System.Globalization;
using Ingest.Core.Connectors;
using Ingest.Core.Periods;
using Ingest.Data.Runs;

namespace Ingest.Application.Ingestion;

public sealed partial class CountyRunner
{
    private async Task<IReadOnlyList<UnitOutcome>> ReadAndCommitAsync(List<UnitKey> claimed, string owner, UnitOptions settings,
        IProgress<(string Stream, long Rows)>? progress, CancellationToken cancellationToken)
    {
        var first = claimed[0];
        // A trace per county night, and each unit's duration by how it ended.
        using var activity = Ingest.Application.Operations.IngestTelemetry.Activities.StartActivity("ingest.unit");
        activity?.SetTag("ingest.run", first.RunId).SetTag("ingest.connector", first.Connector).SetTag("ingest.county", first.CountyCode)
            .SetTag("ingest.period", string.Join(",", claimed.Select(u => u.Period)));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // The leases are renewed while the units work; the deadline bounds the whole read; either one stops the work.
        using var lost = new CancellationTokenSource();
        using var deadline = new CancellationTokenSource(settings.Deadline, time);
        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lost.Token, deadline.Token);
        using var stopHeartbeat = new CancellationTokenSource();
        var settled = new System.Collections.Concurrent.ConcurrentDictionary<UnitKey, bool>();
        var heartbeat = leases.HeartbeatAsync(claimed, settled, owner, settings.Lease, lost, stopHeartbeat.Token);
        var outcomes = new List<UnitOutcome>();
        try
        {
            var connector = registry.Get(first.Connector);
            var context = new IngestionContext(first.RunId, connector.Name, archive, unitOutcomes, progress, registry.Directory, organisations, spools, logger);
            var reads = await connector.ReadCountyNightAsync(
                new CountyNight(first.RunId, first.CountyCode, claimed.Select(u => Period.Parse(u.Period)).ToArray()), context, work.Token);
            foreach (var unit in claimed)
            {
                var read = reads.Single(r => r.Period.Code == unit.Period);
                settled[unit] = true; // committed or failed below: its lease ends with it
                if (read.Error is { } error)
                {
                    outcomes.Add(await FailAsync(unit, error, owner));
                    continue;
                }

                var outcome = await unitOutcomes.CommitUnitAsync(unit, read.Batch!, owner, work.Token)
                    ?? new UnitOutcome(unit, UnitStatus.Succeeded, 0, 0, 0, "committed or taken over by another worker");
                Ingest.Application.Operations.IngestTelemetry.Committed(unit, read.Batch!, outcome);
                outcomes.Add(outcome);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // Shutting down: the leases run out and the units are marked interrupted; a later attempt takes them up again.
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested)
        {
            // Another worker or the sweeper has a unit now: what this one read is dropped, and the units not committed are theirs to settle.
            logger.LogWarning("{Unit}: the lease was lost; the work is dropped", first);
            var done = outcomes.Select(o => o.Key).ToHashSet();
            return [.. outcomes, .. claimed.Where(u => !done.Contains(u)).Select(u => new UnitOutcome(u, UnitStatus.Interrupted, 0, 0, 0, "lease lost"))];
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            var reason = string.Create(CultureInfo.InvariantCulture, $"超过单元时限（{settings.Deadline}）仍未完成，已停止；本单元未写入任何数据");
            var done = outcomes.Select(o => o.Key).ToHashSet();
            foreach (var unit in claimed.Where(u => !done.Contains(u)))
            {
                logger.LogWarning("{Unit} failed: {Reason}", unit, reason);
                await unitOutcomes.FailUnitAsync(unit, reason, CancellationToken.None, owner);
                outcomes.Add(new UnitOutcome(unit, UnitStatus.Failed, 0, 0, 0, reason));
            }
        }
#pragma warning disable CA1031 // Any failure of the units is recorded with its reason; the other units must go on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var done = outcomes.Select(o => o.Key).ToHashSet();
            foreach (var unit in claimed.Where(u => !done.Contains(u)))
            {
                outcomes.Add(await FailAsync(unit, e, owner));
            }
        }
        finally
        {
            await stopHeartbeat.CancelAsync();
            await heartbeat;
        }

        foreach (var outcome in outcomes)
        {
            Ingest.Application.Operations.IngestTelemetry.UnitEnded(outcome.Key.Connector, outcome.Status, clock.Elapsed);
        }

        activity?.SetTag("ingest.status", outcomes.Any(o => o.Failed) ? UnitStatus.Failed : UnitStatus.Succeeded);
        if (outcomes.FirstOrDefault(o => o.Failed) is { } failed)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, failed.Error);
        }

        return outcomes;
    }

    private async Task<UnitOutcome> FailAsync(UnitKey unit, Exception e, string owner)
    {
        var reason = Describe(e);
        if (e is ConnectorException)
        {
            // An upstream refusal or outage the connector already explained: the reason is the whole story.
            logger.LogWarning("{Unit} failed: {Reason}", unit, reason);
        }
        else
        {
            logger.LogWarning(e, "{Unit} failed: {Reason}", unit, reason);
        }

        await unitOutcomes.FailUnitAsync(unit, reason, CancellationToken.None, owner);
        return new UnitOutcome(unit, UnitStatus.Failed, 0, 0, 0, reason);
    }

    private static string Describe(Exception e) => e switch
    {
        ConnectorException => e.Message,
        HttpRequestException h => string.Create(CultureInfo.InvariantCulture, $"HTTP error{(h.StatusCode is { } s ? $" {(int)s}" : string.Empty)}: {h.Message}"),
        TimeoutException => "Timed out: " + e.Message,
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
