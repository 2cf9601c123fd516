using Ingest.Application.Ingestion;
using Ingest.Core.Periods;
using Ingest.Data.Runs;
using Ingest.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ingest.Host.Tests.Ingestion;

/// <summary>Units hold leases: a worker that dies leaves its unit interrupted and its run partial, and one unit never runs twice at once.</summary>
public class LeaseTests
{
    [Fact]
    public async Task A_unit_whose_worker_died_is_interrupted_the_run_ends_partial_with_nothing_of_it_written_and_a_rerun_completes_it()
    {
        var cs = await HostFixture.DatabaseAsync();
        var connector = new TestConnector { Gates = { ["640425"] = new TaskCompletionSource() } };
        await using var host = await HostFixture.StartAsync(cs, connector, new Dictionary<string, string?> { ["Ingest:Hangfire:Server"] = "false" });
        var ingestion = host.App.Services.GetRequiredService<IngestionService>();
        var run = await ingestion.PlanAsync(new IngestionRequest("test", null, Period.Parse("2023"), ["640424", "640425"]), CancellationToken.None);
        var (done, dying) = (run.Units.Single(u => u.CountyCode == "640424"), run.Units.Single(u => u.CountyCode == "640425"));
        (await ingestion.RunUnitAsync(done, null, CancellationToken.None)).Status.ShouldBe(UnitStatus.Succeeded);

        // The worker of 640425 is reading when its process goes: it stops renewing its lease, and the lease runs out.
        using var process = new CancellationTokenSource();
        var working = ingestion.RunUnitAsync(dying, null, process.Token);
        await connector.AtGate.Task;
        await process.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => working);
        (await Status(cs, run.RunId, "640425")).ShouldBe("running");
        (await HostFixture.ScalarAsync<long>(cs, "UPDATE ingest.run_unit SET lease_expires_at = now() - interval '1 second' WHERE county_code = '640425' RETURNING 1::bigint"))
            .ShouldBe(1);

        // Any host's sweeper: the unit is interrupted with the reason, the run partial, nothing of 640425 in the facts.
        (await ingestion.SweepAsync(CancellationToken.None)).ShouldBe(1);
        (await Status(cs, run.RunId, "640425")).ShouldBe("interrupted");
        (await HostFixture.ScalarAsync<string>(cs, $"SELECT error FROM ingest.run_unit WHERE run_id = {run.RunId} AND county_code = '640425'"))
            .ShouldStartWith("中断：执行本单元的进程（");
        (await HostFixture.ScalarAsync<string>(cs, $"SELECT status FROM ingest.run WHERE id = {run.RunId}")).ShouldBe("partial");
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.fact WHERE org_code LIKE '640425%'")).ShouldBe(0);
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.fact WHERE org_code LIKE '640424%'")).ShouldBe(3);
        (await ingestion.SweepAsync(CancellationToken.None)).ShouldBe(0, "nothing is left to settle");

        // The rerun reads 640425 and writes it.
        connector.Gates["640425"].SetResult();
        var rerun = await ingestion.PlanAsync(new IngestionRequest("test", null, Period.Parse("2023"), ["640425"]), CancellationToken.None);
        (await ingestion.RunUnitAsync(rerun.Units.Single(), null, CancellationToken.None)).Status.ShouldBe(UnitStatus.Succeeded);
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.fact WHERE org_code LIKE '640425%'")).ShouldBe(3);
        (await HostFixture.ScalarAsync<string>(cs, $"SELECT status FROM ingest.run WHERE id = {rerun.RunId}")).ShouldBe("succeeded");
    }

    [Fact]
    public async Task Two_workers_never_run_one_unit_at_once_and_the_second_never_marks_it_failed()
    {
        var cs = await HostFixture.DatabaseAsync();
        var connector = new TestConnector { Gates = { ["640424"] = new TaskCompletionSource() } };
        await using var host = await HostFixture.StartAsync(cs, connector, new Dictionary<string, string?> { ["Ingest:Hangfire:Server"] = "false" });
        var ingestion = host.App.Services.GetRequiredService<IngestionService>();
        var run = await ingestion.PlanAsync(new IngestionRequest("test", null, Period.Parse("2023"), ["640424"]), CancellationToken.None);
        var unit = run.Units.Single();

        var first = ingestion.RunUnitAsync(unit, null, CancellationToken.None);
        await connector.AtGate.Task;
        var second = await ingestion.RunUnitAsync(unit, null, CancellationToken.None);
        second.Status.ShouldBe(UnitStatus.Running, "the doubled job leaves the unit to the worker that holds it");
        await host.App.Services.GetRequiredService<UnitOutcomeStore>().FailUnitAsync(unit, "a duplicate's failure", CancellationToken.None, owner: "another/1/worker");
        (await Status(cs, run.RunId, "640424")).ShouldBe("running");

        connector.Gates["640424"].SetResult();
        (await first).Status.ShouldBe(UnitStatus.Succeeded);
        connector.Reads.ShouldBe(1);
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.fact WHERE org_code LIKE '640424%'")).ShouldBe(3);
    }

    [Fact]
    public async Task A_worker_that_loses_its_lease_drops_its_work_and_a_unit_past_its_deadline_fails_with_the_reason()
    {
        var cs = await HostFixture.DatabaseAsync();
        var connector = new TestConnector
        {
            Gates = { ["640424"] = new TaskCompletionSource(), ["640425"] = new TaskCompletionSource() },
            Reached = { ["640424"] = new TaskCompletionSource(), ["640425"] = new TaskCompletionSource() },
        };
        // The workers' clock is the test's: a lease is renewed, and a deadline passes, when the test moves time on.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var host = await HostFixture.StartAsync(cs, connector, new Dictionary<string, string?>
        {
            ["Ingest:Hangfire:Server"] = "false",
            ["Ingest:Units:Lease"] = "00:03:00",
            ["Ingest:Units:Deadline"] = "00:05:00",
        }, services: s => s.AddSingleton<TimeProvider>(clock));
        var ingestion = host.App.Services.GetRequiredService<IngestionService>();
        var run = await ingestion.PlanAsync(new IngestionRequest("test", null, Period.Parse("2023"), ["640424", "640425"]), CancellationToken.None);

        // Another worker took 640424 over (its lease had run out, say): the next renewal, a third of a lease on, finds it and the work stops.
        var working = ingestion.RunUnitAsync(run.Units.Single(u => u.CountyCode == "640424"), null, CancellationToken.None);
        await connector.Reached["640424"].Task;
        await HostFixture.ScalarAsync<long>(cs, "UPDATE ingest.run_unit SET lease_owner = 'another/1/worker' WHERE county_code = '640424' RETURNING 1::bigint");
        working.IsCompleted.ShouldBeFalse("nothing looks at the lease before the next renewal");
        clock.Advance(TimeSpan.FromMinutes(1));
        (await working.WaitAsync(TimeSpan.FromMinutes(1))).Error.ShouldBe("lease lost");
        (await Status(cs, run.RunId, "640424")).ShouldBe("running", "the unit is the other worker's to settle");

        // 640425 never gets past its gate: renewed on time it works on, and at its deadline it fails, saying so, and writes nothing.
        var waiting = ingestion.RunUnitAsync(run.Units.Single(u => u.CountyCode == "640425"), null, CancellationToken.None);
        await connector.Reached["640425"].Task;
        clock.Advance(TimeSpan.FromMinutes(4));
        waiting.IsCompleted.ShouldBeFalse("four minutes in, its lease renewed, the unit is still working");
        clock.Advance(TimeSpan.FromMinutes(1));
        var late = await waiting.WaitAsync(TimeSpan.FromMinutes(1));
        late.Status.ShouldBe(UnitStatus.Failed);
        late.Error.ShouldBe("超过单元时限（00:05:00）仍未完成，已停止；本单元未写入任何数据");
        (await Status(cs, run.RunId, "640425")).ShouldBe("failed");
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.fact")).ShouldBe(0);
    }

    [Fact]
    public async Task A_unit_held_by_a_process_of_this_machine_that_has_ended_is_settled_without_waiting_for_its_lease()
    {
        var cs = await HostFixture.DatabaseAsync();
        var connector = new TestConnector { Gates = { ["640424"] = new TaskCompletionSource() } };
        await using var host = await HostFixture.StartAsync(cs, connector, new Dictionary<string, string?> { ["Ingest:Hangfire:Server"] = "false" });
        var ingestion = host.App.Services.GetRequiredService<IngestionService>();
        var run = await ingestion.PlanAsync(new IngestionRequest("test", null, Period.Parse("2023"), ["640424"]), CancellationToken.None);
        using var process = new CancellationTokenSource();
        var working = ingestion.RunUnitAsync(run.Units.Single(), null, process.Token);
        await connector.AtGate.Task;
        await process.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => working);

        // `ingest` killed with kill -9 on this machine, its lease still good for minutes: the next run's planning settles it.
        var gone = NoSuchProcess();
        await HostFixture.ScalarAsync<long>(cs,
            $"UPDATE ingest.run_unit SET lease_owner = '{Environment.MachineName}/{gone}/killed' WHERE run_id = {run.RunId} RETURNING 1::bigint");
        connector.Gates["640424"].SetResult();
        await ingestion.PlanAsync(new IngestionRequest("test", null, Period.Parse("2023"), ["640424"]), CancellationToken.None);
        (await Status(cs, run.RunId, "640424")).ShouldBe("interrupted");
        (await HostFixture.ScalarAsync<string>(cs, $"SELECT status FROM ingest.run WHERE id = {run.RunId}")).ShouldBe("failed", "its only unit did not succeed");
    }

    [Fact]
    public async Task The_units_a_dead_command_line_had_not_started_are_settled_and_its_run_ends()
    {
        var cs = await HostFixture.DatabaseAsync();
        var connector = new TestConnector();
        await using var host = await HostFixture.StartAsync(cs, connector, new Dictionary<string, string?> { ["Ingest:Hangfire:Server"] = "false" });
        var ingestion = host.App.Services.GetRequiredService<IngestionService>();
        var gone = NoSuchProcess();

        // `ingest` planned three units, ran one, and was killed before it started the others.
        var run = await ingestion.PlanAsync(new IngestionRequest("cli", null, Period.Parse("2023"), ["640424", "640425", "640426"],
            Runner: $"{Environment.MachineName}/{gone}/killed"), CancellationToken.None);
        (await ingestion.RunUnitAsync(run.Units[0], null, CancellationToken.None)).Status.ShouldBe(UnitStatus.Succeeded);
        (await HostFixture.ScalarAsync<string>(cs, $"SELECT status FROM ingest.run WHERE id = {run.RunId}")).ShouldBe("running");

        (await ingestion.SweepAsync(CancellationToken.None)).ShouldBe(1);
        (await Status(cs, run.RunId, "640425")).ShouldBe("interrupted");
        (await HostFixture.ScalarAsync<string>(cs, $"SELECT error FROM ingest.run_unit WHERE run_id = {run.RunId} AND county_code = '640426'"))
            .ShouldBe($"未开始：发起本批次的进程（{Environment.MachineName}/{gone}/killed）已停止，本单元未读取");
        (await HostFixture.ScalarAsync<string>(cs, $"SELECT status FROM ingest.run WHERE id = {run.RunId}")).ShouldBe("partial");
        connector.Reads.ShouldBe(1);
    }

    /// <summary>
    /// A process number no process of this machine can have (one above the kernel's largest), standing for a process that
    /// ended: an ended process's own number could be given to a new one before the sweep looks.
    /// </summary>
    private static int NoSuchProcess() =>
        (File.Exists("/proc/sys/kernel/pid_max") ? int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), System.Globalization.CultureInfo.InvariantCulture) : 4_194_304) + 1;

    private static Task<string> Status(string cs, long runId, string county) =>
        HostFixture.ScalarAsync<string>(cs, $"SELECT status FROM ingest.run_unit WHERE run_id = {runId} AND county_code = '{county}'");
}
