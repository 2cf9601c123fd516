using CsvHelper;

namespace Ingest.Connectors.Progress.Export;

/// <summary>
/// One school's line of the nightly infrastructure export, mapped by the Chinese header names (the order of the
/// columns does not matter). A null field was left empty: unknown, not zero.
/// </summary>
[CsvRecord]
public sealed partial class InfrastructureRecord
{
    public const string SchoolCodeColumn = "学校标识码";
    public const string SchoolNameColumn = "学校名称";
    public const string CountyCodeColumn = "区县代码";
    public const string BandwidthColumn = "出口带宽(Mbps)";
    public const string TeachingClassesColumn = "教学班数";
    public const string ClassesWithTerminalsColumn = "配备多媒体终端的教学班数";
    public const string InteractiveClassroomsColumn = "在线互动教室数";
    public const string SecuritySystemColumn = "安防系统";
    public const string OneClickAlarmColumn = "一键报警";

    /// <summary>Every column the contract lists, in its order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        SchoolCodeColumn, SchoolNameColumn, CountyCodeColumn, BandwidthColumn, TeachingClassesColumn, ClassesWithTerminalsColumn,
        InteractiveClassroomsColumn, SecuritySystemColumn, OneClickAlarmColumn,
    ];

    [CsvColumn(SchoolCodeColumn)]
    public string? SchoolCode { get; set; }

    [CsvColumn(SchoolNameColumn)]
    public string? SchoolName { get; set; }

    [CsvColumn(CountyCodeColumn)]
    public string? CountyCode { get; set; }

    [CsvColumn(BandwidthColumn)]
    [CsvValidate(nameof(NotNegative))]
    public decimal? BandwidthMbps { get; set; }

    [CsvColumn(TeachingClassesColumn)]
    [CsvValidate(nameof(NotNegative))]
    public int? TeachingClasses { get; set; }

    [CsvColumn(ClassesWithTerminalsColumn)]
    [CsvValidate(nameof(NotNegative))]
    public int? ClassesWithTerminals { get; set; }

    [CsvColumn(InteractiveClassroomsColumn)]
    [CsvValidate(nameof(NotNegative))]
    public int? InteractiveClassrooms { get; set; }

    [CsvColumn(SecuritySystemColumn)]
    [CsvBooleanValues("是", "否")]
    public bool? SecuritySystem { get; set; }

    [CsvColumn(OneClickAlarmColumn)]
    [CsvBooleanValues("是", "否")]
    public bool? OneClickAlarm { get; set; }

    /// <summary>Line of the file it came from (the header is line 1).</summary>
    [CsvIgnore]
    public long Line { get; set; }

    private static bool NotNegative(decimal? value) => value is not < 0;

    private static bool NotNegative(int? value) => value is not < 0;
}
