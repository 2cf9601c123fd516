using System.Collections.Frozen;

namespace Ingest.Core.Indicators;

/// <summary>
/// The indicators the connectors produce (docs/domain.md, "Facts"). The database table
/// <c>ingest.indicator</c> is synchronised from this list at migration time, so code and data agree.
/// </summary>
public static class IndicatorCatalogue
{
    private const string TeacherActivity = "cloud: /api/v1/stats/teacher-activity";
    private const string SchoolContent = "cloud: /api/v1/stats/school-content";
    private const string Literacy = "cloud: /api/v1/stats/literacy-assessment";
    private const string StudentSpace = "cloud: /api/v1/stats/student-space";
    private const string Classrooms = "progress: /progress/v2/classrooms";
    private const string Sessions = "progress: /progress/v2/sessions";
    private const string Export = "progress: /progress/v2/export/school-infrastructure.csv";

    /// <summary>Every indicator, in catalogue order.</summary>
    public static IReadOnlyList<IndicatorDefinition> All { get; } =
    [
        new("cloud.teacher_accounts", "教师用户总人数", "人", "教师账号数（去重后）", TeacherActivity, Aggregation.Sum),
        new("cloud.app_index", "应用指数", "分/人", "教师年度积分之和 ÷ 教师用户总人数", TeacherActivity, Aggregation.RatioOfSums),
        new("cloud.space_active_rate", "教师空间活跃率", "%", "开通空间且年度经验值大于设定值（默认60）的教师数 ÷ 教师用户总人数", TeacherActivity, Aggregation.RatioOfSums),
        new("cloud.assistant_use_rate", "教学助手使用率", "%", "教学助手活跃天数≥1的教师数 ÷ 教师用户总人数", TeacherActivity, Aggregation.RatioOfSums),
        new("cloud.app_use_rate", "教育云App使用率", "%", "App活跃天数≥1的教师数 ÷ 教师用户总人数", TeacherActivity, Aggregation.RatioOfSums),
        new("cloud.resources_uploaded_per_teacher", "教师人均上传资源数", "件/人", "上传资源数之和 ÷ 教师用户总人数", TeacherActivity, Aggregation.RatioOfSums),
        new("cloud.resources_shared_per_teacher", "教师人均共享到自治区平台资源数", "件/人", "共享到自治区平台资源数之和 ÷ 教师用户总人数", TeacherActivity, Aggregation.RatioOfSums),
        new("cloud.smart_campus_opened", "开通智慧校园", "是否", "smartCampusOpened", SchoolContent, Aggregation.Sum),
        new("cloud.portal_opened", "开通学校门户", "是否", "portalOpened", SchoolContent, Aggregation.Sum),
        new("cloud.kp_microlecture_coverage", "知识点微课覆盖率", "%", "有微课的知识点数 ÷ 知识点总数", SchoolContent, Aggregation.RatioOfSums),
        new("cloud.theme_moocs", "主题优质慕课数", "节", "各主题慕课数之和", SchoolContent, Aggregation.Sum),
        new("cloud.family_education_lessons", "家庭教育课程数", "节", "familyEducationLessons", SchoolContent, Aggregation.Sum),
        new("cloud.course_community_subjects", "课程社区覆盖学科", "科", "有课程社区的学科集合（值为学科数）", SchoolContent, Aggregation.None),
        new("cloud.active_famous_teacher_studios", "活跃名师工作室数", "个", "activeFamousTeacherStudios", SchoolContent, Aggregation.Sum),
        new("cloud.literacy_excellent_rate", "教师信息素养测评优秀率", "%", "优秀人数 ÷ 已测评人数", Literacy, Aggregation.RatioOfSums),
        new("cloud.literacy_pass_rate", "教师信息素养测评合格率", "%", "（优秀+良好+合格）人数 ÷ 已测评人数", Literacy, Aggregation.RatioOfSums),
        new("cloud.student_space_active_rate", "学生空间活跃率", "%", "活跃学生数 ÷ 适龄学生数", StudentSpace, Aggregation.RatioOfSums),
        new("progress.interactive_classrooms", "在线互动教室数", "间", "启用的在线互动教室数", Classrooms, Aggregation.Sum),
        new("progress.online_lessons", "在线课堂开课节数", "节", "主讲或接收学校参与的已完成课堂数", Sessions, Aggregation.Sum),
        new("progress.online_lessons_per_week", "在线课堂周均开课节数", "节/周", "在线课堂开课节数 ÷ 教学周数", Sessions, Aggregation.None),
        new("progress.classroom_app_index", "在线课堂应用指数", "节/间", "县内启用教室的已完成课堂数 ÷ 启用教室数", Sessions + "; " + Classrooms, Aggregation.RatioOfSums),
        new("progress.bandwidth_mbps", "出口带宽", "Mbps", "出口带宽(Mbps)；空值为未知", Export, Aggregation.None),
        new("progress.multimedia_class_coverage", "多媒体教学班覆盖率", "%", "配备多媒体终端的教学班数 ÷ 教学班数", Export, Aggregation.RatioOfSums),
        new("progress.security_system", "安防系统", "是否", "安防系统 是/否；空值为未知", Export, Aggregation.Sum),
        new("progress.one_click_alarm", "一键报警", "是否", "一键报警 是/否；空值为未知", Export, Aggregation.Sum),
    ];

    private static readonly FrozenDictionary<string, IndicatorDefinition> ByCode =
        All.ToFrozenDictionary(i => i.Code, StringComparer.Ordinal);

    // The stream of the raw archive each upstream source is read in (the connectors' stream names).
    private static readonly FrozenDictionary<string, string> StreamOfSource = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [TeacherActivity] = "teacher-activity",
        [SchoolContent] = "school-content",
        [Literacy] = "literacy-assessment",
        [StudentSpace] = "student-space",
        [Classrooms] = "classrooms",
        [Sessions] = "sessions",
        [Export] = "infrastructure-export",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The definition of <paramref name="code"/>, or null when the catalogue has no such indicator.</summary>
    public static IndicatorDefinition? Find(string code) => ByCode.GetValueOrDefault(code);

    /// <summary>
    /// The indicators a person means by <paramref name="text"/>: the one whose code it is (cloud.app_index), else every one
    /// whose Chinese name contains it (应用指数 finds 应用指数 and 在线课堂应用指数), in catalogue order.
    /// </summary>
    public static IReadOnlyList<IndicatorDefinition> Search(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var typed = text.Trim();
        return Find(typed) is { } exact ? [exact] : All.Where(i => i.NameZh.Contains(typed, StringComparison.Ordinal)).ToArray();
    }

    /// <summary>The raw archive's streams an indicator is computed from (<c>sessions</c>, <c>teacher-activity</c> …); empty for an unknown code.</summary>
    public static IReadOnlyList<string> StreamsOf(string code) =>
        Find(code)?.Source.Split("; ", StringSplitOptions.RemoveEmptyEntries).Select(s => StreamOfSource[s]).ToArray() ?? [];
}
