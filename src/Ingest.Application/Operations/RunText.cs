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
        _ => "其他",
    };

    /// <summary>What an upstream's stream reads, in words: 机构目录, 教师应用数据, 在线课堂开课 … (the one vocabulary of every page and verb).</summary>
    public static string StreamTitle(string stream) => stream switch
    {
        "orgs" => "机构目录",
        "teacher-activity" => "教师应用数据",
        "school-content" => "学校资源与应用数据",
        "literacy-assessment" => "教师信息素养测评",
        "student-space" => "学生空间数据",
        "classrooms" => "在线互动教室",
        "sessions" => "在线课堂开课",
        "infrastructure-export" => "基础设施导出",
        "directory" => "机构目录",
        _ => stream,
    };

    /// <summary>The cycles of a run (county:2024+school:2025) in words, or 按期间 when it read periods named by hand.</summary>
    public static string CyclesTitle(string? cycles) => cycles is null ? "按期间"
        : string.Join("、", cycles.Split('+').Select(c =>
        {
            try
            {
                return Ingest.Scoring.Sheets.RaterText.CycleTitle(Ingest.Core.Periods.EvaluationCycle.Parse(c));
            }
            catch (FormatException)
            {
                return c;
            }
        }));
}
