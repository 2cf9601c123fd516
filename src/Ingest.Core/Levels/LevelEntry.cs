namespace Ingest.Core.Levels;

/// <summary>What an entry of the register of levels records.</summary>
public enum LevelAction
{
    /// <summary>授牌: the deciding body awards the level it decided in the year (第十条).</summary>
    Award,

    /// <summary>降低: the department lowers a level (第十四条).</summary>
    Lower,

    /// <summary>取消: the department takes the title away (第十四条); the school then holds no level.</summary>
    Revoke,

    /// <summary>A level awarded before this service, imported from the department's list.</summary>
    Import,
}

/// <summary>
/// One entry of the register of levels: a school holds the <see cref="Stars"/> of its latest entry (by year, date, then
/// order of recording) until another entry changes it; 0 is no level (after 取消).
/// </summary>
/// <param name="CountyCode">The county it is counted in; the region's code for a 厅直属 school.</param>
/// <param name="Year">The rating year the entry belongs to.</param>
/// <param name="Body">认定单位, as written (自治区教育厅, 泾源县教育局).</param>
/// <param name="DecidedOn">The date of the 授牌 or decision.</param>
/// <param name="Document">文号.</param>
public sealed record LevelEntry(
    long Id,
    string SchoolCode,
    string SchoolName,
    string CountyCode,
    int Year,
    LevelAction Action,
    int Stars,
    string Body,
    DateOnly DecidedOn,
    string? Document,
    string? Note,
    string RecordedBy,
    DateTimeOffset RecordedAt)
{
    /// <summary>The action as people write it: 授牌, 降低, 取消, 既有星级.</summary>
    public string ActionText => Action switch
    {
        LevelAction.Award => "授牌",
        LevelAction.Lower => "降低",
        LevelAction.Revoke => "取消",
        _ => "既有星级（导入）",
    };

    /// <summary>The database's word for an action.</summary>
    public static string KeyOf(LevelAction action) => action.ToString().ToLowerInvariant();

    /// <summary>An action from the database's word.</summary>
    public static LevelAction ActionOf(string key) => Enum.Parse<LevelAction>(key, ignoreCase: true);

    /// <summary>The register's order: year, then date, then order of recording.</summary>
    public static IEnumerable<LevelEntry> InOrder(IEnumerable<LevelEntry> entries) =>
        entries.OrderBy(e => e.Year).ThenBy(e => e.DecidedOn).ThenBy(e => e.Id);
}
