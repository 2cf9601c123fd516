using System.Globalization;
using Ingest.Core.Indicators;
using Ingest.Core.Sheets;

namespace Ingest.Scoring.Sheets;

/// <summary>
/// What rating staff read and type, in one place: column names and status words in Chinese, numbers at the precision
/// a person reads (stored values stay exact), and strict parsing of what they type (scores, flags, counts, columns).
/// A parse failure is a <see cref="FormatException"/> whose message is one line in Chinese showing what was typed.
/// </summary>
public static partial class RaterText
{
    private static readonly (Column Column, string Key, string Title, string[] Aliases)[] Columns =
    [
        (Column.Self, "self", "学校自评", ["自评", "学校自评", "学校自评得分"]),
        (Column.Bureau, "bureau", "教育局评定", ["教育局", "教育局评定", "教育局评定得分"]),
        (Column.Department, "department", "教育厅评定", ["教育厅", "教育厅评定", "教育厅评定得分"]),
    ];

    /// <summary>The column's key in URLs, files and options: self, bureau, department.</summary>
    public static string ColumnKey(Column column) => Columns.Single(c => c.Column == column).Key;

    /// <summary>The column as the form of 附件2 names it: 学校自评, 教育局评定, 教育厅评定.</summary>
    public static string ColumnTitle(Column column) => Columns.Single(c => c.Column == column).Title;

    /// <summary>A column from its key (self, bureau, department) or its Chinese name (学校自评, 教育局, 教育厅评定 …).</summary>
    /// <exception cref="FormatException">Neither.</exception>
    public static Column ParseColumn(string? text)
    {
        var t = text?.Trim() ?? string.Empty;
        foreach (var c in Columns)
        {
            if (string.Equals(t, c.Key, StringComparison.OrdinalIgnoreCase) || c.Aliases.Contains(t, StringComparer.Ordinal))
            {
                return c.Column;
            }
        }

        throw new FormatException($"“{text}”不是评分栏：应为 self（学校自评）、bureau（教育局评定）或 department（教育厅评定）");
    }

    /// <summary>How a person names an item or a part of one, with the printed numbering: 指标 22, 指标 16.2, 指标 A1.2.</summary>
    public static string ItemName(string target) => "指标 " + Rubrics.PrintedItems.Number(target);

    /// <summary>The status of a line in a column: 待填, 自动, 已录入, 已改写 (an entry that changed an auto score), 无法计算 or 待现场确认.</summary>
    public static string StatusWord(LineStatus status, bool overridesAuto = false) => status switch
    {
        LineStatus.Auto => "自动",
        LineStatus.NotComputable => "无法计算",
        LineStatus.Entered => overridesAuto ? "已改写" : "已录入",
        LineStatus.Unconfirmed => "待现场确认",
        _ => "待填",
    };

    /// <summary>What a rater confirms on site of a pre-filled line: 待现场确认：能够根据用户角色及权限不同设置个性化的信息资源和应用服务.</summary>
    public static string OnSite(Rubrics.ScoreTarget target) =>
        target?.OnSite is { } part ? "数据只涵盖本项的一部分，待现场确认：" + part : string.Empty;

    /// <summary>A score or total as people read it: 37, 91.5 (0.5 steps need one decimal at most); — when none.</summary>
    public static string Score(decimal? score) => score is { } s ? s.ToString("0.#", CultureInfo.InvariantCulture) : "—";

    /// <summary>A plain number at two decimals at most: 260.79, 3.</summary>
    public static string Number(decimal? value) => value is { } v ? Math.Round(v, 2, MidpointRounding.AwayFromZero).ToString("0.##", CultureInfo.InvariantCulture) : "未知";

    /// <summary>
    /// A figure of <paramref name="indicator"/> as people read it: a rate as a percentage with two decimals (27.22%),
    /// other figures at two decimals with the catalogue's unit (260.79 分/人), a yes/no as 是 or 否.
    /// </summary>
    public static string Figure(string indicator, decimal? value)
    {
        if (value is not { } v)
        {
            return "未知";
        }

        var unit = IndicatorCatalogue.Find(indicator)?.Unit;
        return unit switch
        {
            "%" => Math.Round(v * 100, 2, MidpointRounding.AwayFromZero).ToString("0.##", CultureInfo.InvariantCulture) + "%",
            "是否" => v > 0 ? "是" : "否",
            null or "" => Number(v),
            _ => Number(v) + " " + unit,
        };
    }

    /// <summary>A period as people say it: 2023年, 2023-2024学年, 2024-06-30（导出）.</summary>
    public static string Period(string code) => code.Length switch
    {
        4 => code + "年",
        9 => code + "学年",
        6 when code[4] == 'H' => code[..4] + (code[5] == '1' ? "年上半年" : "年下半年"),
        _ => code + "（导出）",
    };

    /// <summary>A cycle as a person names it: 2025年度学校星级评定, 2024年度县（区）评估.</summary>
    public static string CycleTitle(Ingest.Core.Periods.EvaluationCycle cycle)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        return cycle.Year.ToString(CultureInfo.InvariantCulture) + (cycle.Rubric == Ingest.Core.Periods.RubricKind.School ? "年度学校星级评定" : "年度县（区）评估");
    }

    /// <summary>The upstream a fact came from: 宁夏教育云, 教育信息化工作进展系统.</summary>
    public static string SourceName(string source) => source switch
    {
        "cloud" => "宁夏教育云",
        "progress" => "教育信息化工作进展系统",
        "region" or "rollup" => "全区汇总",
        _ => source,
    };

    /// <summary>
    /// A fact as evidence, as people read it: 指标名称、期间、数值（分子/分母）、来源、批次, e.g.
    /// “应用指数 2024年 300 分/人（12000/40）· 宁夏教育云 · 批次 7”; the region's prefixed 全区.
    /// </summary>
    public static string Evidence(FactEvidence fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        var who = fact.OrgCode == Core.Organisations.Organisation.RegionCode ? "全区" : string.Empty;
        var ratio = fact is { Numerator: { } n, Denominator: { } d } ? $"（{Number(n)}/{Number(d)}）" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"{who}{IndicatorName(fact.Indicator)} {Period(fact.Period)} {Figure(fact.Indicator, fact.Value)}{ratio} · {SourceName(fact.Source)} · 批次 {fact.RunId}");
    }

    /// <summary>Counts as people read them: “获奖（项）3、论文（篇）1”, with the rubric's labels.</summary>
    public static string Counts(IReadOnlyList<Rubrics.CountSpec> specs, IReadOnlyDictionary<string, int> counts)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(counts);
        return string.Join("；", specs.Where(c => counts.ContainsKey(c.Key))
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Label} {counts[c.Key]}")));
    }

    /// <summary>The indicator's Chinese name from the catalogue, else its code.</summary>
    public static string IndicatorName(string indicator) => IndicatorCatalogue.Find(indicator)?.NameZh ?? indicator;

    private static readonly string[] Numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

    /// <summary>An area as the rubric prints it: “一、基础设施（15分）” for the school standard, “A1 基础设施（10分）” for the county one.</summary>
    public static string AreaTitle(Rubrics.RubricArea area)
    {
        ArgumentNullException.ThrowIfNull(area);
        var number = int.TryParse(area.Code, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 10 ? Numerals[n - 1] + "、" : area.Code + " ";
        return $"{number}{area.Name}（{Score(area.Points)}分）";
    }

    /// <summary>
    /// 第十条 of the measures (宁教发〔2022〕33号): a county bureau awards 二星级 and 三星级; 四星级 and above are the department's.
    /// </summary>
    public const int BureauHighestStars = 3;

    /// <summary>
    /// 五星级 … 二星级 (第十条: "95分及以上的为五星级……70分及以上为二星级"); there is no 一星级, and anything below two stars is
    /// 未达到星级.
    /// </summary>
    public static string Stars(int stars) => stars switch
    {
        5 => "五星级",
        4 => "四星级",
        3 => "三星级",
        2 => "二星级",
        _ => "未达到星级",
    };

    /// <summary>A column's level as people read it: 四星级, 三星级（★未满分：23、48）, 未达到星级, 未定级（待填）.</summary>
    public static string Level(StarResult? stars) => stars switch
    {
        null => string.Empty,
        { Stars: null, Provisional: true } => "未定级（待填）",
        { Stars: null } => Stars(0),
        { } s => Stars(s.Stars!.Value) + (s.Vetoed ? $"（★未满分：{string.Join("、", s.UnmetVetoItems)}）" : string.Empty) + (s.Provisional ? "（待填）" : string.Empty),
    };

    /// <summary>
    /// A level the bureau's column gives, as the bureau may say it (第十条): 二星级 or 三星级 it decides itself; a school its
    /// column puts at four stars or above is one it forwards to the department, 拟申报四星级 (or 五星级), until the department
    /// decides.
    /// </summary>
    public static string BureauStars(int stars) => stars > BureauHighestStars ? "拟申报" + Stars(stars) : Stars(stars);

    /// <summary>The bureau column's level in words (<see cref="BureauStars"/>), with the ★ veto and 待填 as <see cref="Level(StarResult?)"/> says them.</summary>
    public static string BureauLevel(StarResult? stars) => stars is { Stars: > BureauHighestStars } s
        ? BureauStars(s.Stars.Value) + (s.Provisional ? "（待填）" : string.Empty)
        : Level(stars);

    /// <summary>A column's level in words: the bureau's as it may decide it (<see cref="BureauLevel"/>), the others' as scored.</summary>
    public static string Level(Column column, StarResult? stars) => column == Column.Bureau ? BureauLevel(stars) : Level(stars);

    /// <summary>
    /// The ★ veto in words, as a rater says it: “★23 未得满分，最高认定为三星级” when it lowers the level; “★23 未得满分” when
    /// the total alone stays below the veto's level; empty when every ★ item has its full points.
    /// </summary>
    public static string Veto(StarResult? stars)
    {
        if (stars is not { UnmetVetoItems.Count: > 0 })
        {
            return string.Empty;
        }

        var items = string.Join("、", stars.UnmetVetoItems.Select(i => "★" + i));
        return stars.Vetoed ? $"{items} 未得满分，最高认定为{(stars.Stars is { } s ? Stars(s) : "未定级")}" : $"{items} 未得满分";
    }
}
