namespace Ingest.Core.Evidence;

/// <summary>
/// The 佐证材料 a claim or a 填报表 row names: file names separated by “、”, “；” or new lines, each a file uploaded behind the
/// same line of the school's sheet and not removed. One rule for the claims file and the 填报表, so both refuse the same
/// names with the same words.
/// </summary>
public static class EvidenceReferences
{
    /// <summary>A cell names at most this many files; a line rarely has more than a few.</summary>
    public const int MaxNames = 20;

    /// <summary>The longest file name a cell may give (the upload keeps names within it).</summary>
    public const int MaxNameLength = 200;

    private static readonly char[] Separators = ['、', '；', ';', '\n', '\r', '|'];

    /// <summary>The names a cell gives, trimmed and in order, each once; none for an empty cell.</summary>
    public static IReadOnlyList<string> Parse(string? cell) =>
        string.IsNullOrWhiteSpace(cell)
            ? []
            : cell.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The names as a cell writes them: “证书.pdf、照片.jpg”.</summary>
    public static string Text(IEnumerable<string> names) => string.Join("、", names);

    /// <summary>
    /// Why <paramref name="names"/> cannot stand behind <paramref name="itemName"/> (“指标 30”), or null when each is a
    /// live file of <paramref name="filesOfLine"/> (the files uploaded behind that line, removed ones included).
    /// </summary>
    public static string? Problem(IReadOnlyList<string> names, string itemName, IEnumerable<EvidenceFile> filesOfLine)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(filesOfLine);
        if (names.Count > MaxNames)
        {
            return $"最多写 {MaxNames} 个文件名，这里有 {names.Count} 个";
        }

        if (names.FirstOrDefault(n => n.Length > MaxNameLength) is { } tooLong)
        {
            return $"文件名“{tooLong[..20]}…”超过 {MaxNameLength} 个字符";
        }

        var files = filesOfLine.ToArray();
        var live = files.Where(f => f.Live).ToArray();
        var missing = names.Where(n => Find(n, live) is null).ToArray();
        if (missing.Length == 0)
        {
            return null;
        }

        var removed = missing.Where(n => Find(n, files) is not null).ToArray();
        var what = removed.Length == missing.Length
            ? $"“{Text(missing)}”已被删除或替换"
            : $"{itemName} 下没有名为“{Text(missing)}”的佐证材料";
        var uploaded = live.Length == 0 ? "该项还没有上传佐证材料" : $"该项现有：{Text(live.Select(f => f.FileName).Distinct(StringComparer.Ordinal))}";
        return $"{what}（{uploaded}；请先在评分表该项的“佐证材料”页上传，再按文件名填写）";
    }

    /// <summary>The live file a name means: the same name, letters of either case; or null.</summary>
    public static EvidenceFile? Find(string name, IEnumerable<EvidenceFile> files) =>
        files.FirstOrDefault(f => string.Equals(f.FileName, name, StringComparison.OrdinalIgnoreCase));
}
