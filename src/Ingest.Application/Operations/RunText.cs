namespace Ingest.Application.Operations;

/// <summary>Runs in the words the operations pages, the alerts and the exports use.</summary>
public static class RunText
{
    /// <summary>运行中, 成功, 部分失败, 失败: a run's status in words.</summary>
    public static string StatusWord(string status) => status switch
    {
        "running" => "运行中",
        "succeeded" => "成功",
        "partial" => "部分失败",
        "failed" => "失败",
        "interrupted" => "已中断",
        "pending" => "排队中",
        "flagged" => "有疑点",
        _ => status,
    };

    /// <summary>夜间定时, 命令行, 接口, 网页: who or what started a run.</summary>
    public static string TriggerWord(string trigger) => trigger switch
    {
        "schedule" => "夜间定时",
        "cli" => "命令行",
        "api" => "接口",
        "web" => "网页",
        _ => trigger,
    };
}
