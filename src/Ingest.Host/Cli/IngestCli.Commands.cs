using System.CommandLine;
using Ingest.Application.Ingestion;
using Ingest.Host.Operations.Cli;
using Microsoft.Extensions.Options;

namespace Ingest.Host.Cli;

public static partial class IngestCli
{
    private static Command ServeCommand()
    {
        var command = new Command("serve", "运行服务：网页与接口、健康检查、接口说明、后台任务与夜间定时采集")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction((result, ct) => Guard(() => ServeAsync(result.UnmatchedTokens.ToArray(), ct)));
        return command;
    }

    private static async Task<int> ServeAsync(string[] args, CancellationToken ct)
    {
        await using var host = await IngestWebHost.BuildAsync(args, cancellationToken: ct);
        await host.RunAsync(ct);
        return 0;
    }

    private static Command MigrateCommand()
    {
        var command = new Command("migrate", "把数据库升级到当前结构");
        command.SetAction((_, ct) => Guard(async () =>
        {
            await using var host = await CliHost.StartAsync(migrate: false, ct);
            var applied = await host.Database.MigrateAsync(host.Services.GetRequiredService<ILoggerFactory>(), ct);
            Console.WriteLine(applied.Count == 0 ? "数据库已是当前结构，无需升级。" : $"已升级数据库：{string.Join("、", applied.Select(m => m.Replace("Ingest.Data.Migrations.", string.Empty, StringComparison.Ordinal).Replace(".sql", string.Empty, StringComparison.Ordinal)))}");
            return 0;
        }));
        return command;
    }

    private static Command IngestCommand()
    {
        var cycle = new Option<string?>("--cycle") { Description = "评定周期，如 county:2024 或 school:2024：采集其所需的全部期间。用 + 连接多个（school:2025+county:2025）为一次采集，共用的期间只采集一次" };
        var period = new Option<string?>("--period") { Description = "或指定一个期间：2023、2023-2024 或 2024-06-30" };
        var county = new Option<string[]>("--county") { Description = "县（区）代码（可重复）；不填为全区全部县（区）", AllowMultipleArgumentsPerToken = true };
        var connector = new Option<string[]>("--connector") { Description = "数据源名称（可重复，cloud 或 progress）；不填为全部", AllowMultipleArgumentsPerToken = true };
        var command = new Command("ingest", "立即在本进程中采集，并显示进度") { cycle, period, county, connector };
        command.SetAction((r, ct) => Guard(async () =>
        {
            var request = IngestVerb.Parse(r.GetValue(cycle), r.GetValue(period), r.GetValue(county), r.GetValue(connector));
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var parallelism = host.Services.GetRequiredService<IOptions<ScheduleOptions>>().Value.CliParallelism;
            return await IngestVerb.RunAsync(host.Services.GetRequiredService<IngestionService>(), request, parallelism, ct);
        }));
        return command;
    }

    private static Command StatusCommand()
    {
        var year = new Option<int?>("--year") { Description = "评定年度（默认为夜间采集计划中的学校评定年度）" };
        var command = new Command("status", "数据新鲜度：哪些县（区）的数据已过期、哪些最近一次采集失败及原因；有问题时退出码为 1，便于监控。其后列出评定年度已过截止日期仍未完成的事项（只提醒，不影响退出码）")
            { year };
        command.SetAction((r, ct) => Guard(async () =>
        {
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            var status = await host.Services.GetRequiredService<Ingest.Application.Operations.StatusService>().StatusAsync(ct);
            var code = Operations.Cli.ReportVerbs.ShowStatus(status);
            var rated = r.GetValue(year) ?? Ingest.Application.Rating.RatingCycles.Current(
                host.Services.GetRequiredService<IOptions<ScheduleOptions>>().Value.Cycles, Core.Periods.RubricKind.School, status.At).Year;
            var progress = await host.Services.GetRequiredService<Ingest.Application.Year.LevelService>().ProgressAsync(Ingest.Application.People.Caller.CommandLine("命令行"), rated, null, ct).OrFailAsync();
            Operations.Cli.ReportVerbs.ShowProgress(progress);
            return code;
        }));
        return command;
    }

    private static Command RunsCommand()
    {
        var limit = new Option<int>("--limit") { Description = "列出最近多少个批次", DefaultValueFactory = _ => 10 };
        var command = new Command("runs", "列出最近的采集批次及各数据流的计数") { limit };
        command.SetAction((r, ct) => Guard(async () =>
        {
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            await ReportVerbs.ShowRunsAsync(host.Services, r.GetValue(limit), ct);
            return 0;
        }));
        return command;
    }

    private static Command FactsCommand()
    {
        var org = new Option<string?>("--org") { Description = "机构代码" };
        var indicator = new Option<string?>("--indicator") { Description = "指标代码，如 cloud.app_index" };
        var period = new Option<string?>("--period") { Description = "期间，如 2023、2023-2024" };
        var limit = new Option<int>("--limit") { Description = "最多显示多少条", DefaultValueFactory = _ => 50 };
        var command = new Command("facts", "查看当前的指标数据") { org, indicator, period, limit };
        command.SetAction((r, ct) => Guard(async () =>
        {
            await using var host = await CliHost.StartAsync(migrate: true, ct);
            await ReportVerbs.ShowFactsAsync(host.Services, r.GetValue(org), r.GetValue(indicator), r.GetValue(period), r.GetValue(limit), ct);
            return 0;
        }));
        return command;
    }

    private static Command ConnectorsCommand()
    {
        var command = new Command("connectors", "列出已配置的数据源及其各数据流接受的期间类型");
        command.SetAction((_, ct) => Guard(async () =>
        {
            await using var host = await CliHost.StartAsync(migrate: false, ct);
            ReportVerbs.ShowConnectors(host.Services.GetRequiredService<ConnectorRegistry>());
            return 0;
        }));
        return command;
    }
}
