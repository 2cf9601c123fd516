using System.Globalization;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;

namespace Ingest.Scoring.Bulletins;

/// <summary>
/// Writes a county's bulletin the way seed 002 (泾源县's 2023 督导评估通报) is written, from the bureau's column of its
/// schools' sheets, their gap plans, the figures the data has and the 整改 items. What the data cannot say (the basis
/// documents, the dates, the team, the on-site praise) is a hole the author fills; the figures stated go to the annex.
/// </summary>
public static class BulletinWriter
{
    /// <summary>The figures 二、取得的成效 states for a school, when the data has them: indicator and which period.</summary>
    private static readonly (string Indicator, Func<EvaluationCycle, CyclePeriods, Period> Period, Func<string, string> Sentence)[] Praised =
    [
        ("progress.online_lessons", (c, _) => c.FirstHalf, n => $"上半年在线课堂实开课程{n}节"),
        ("cloud.theme_moocs", (_, p) => p.SchoolYear, n => $"数字学校主题优质慕课{n}节"),
        ("cloud.app_index", (_, p) => p.CalendarYear, n => $"宁夏教育云应用指数{n}分/人"),
    ];

    /// <summary>The keys of the holes every bulletin has, with what each asks for.</summary>
    public static readonly IReadOnlyList<(string Key, string Prompt)> Fixed =
    [
        ("basis", "依据的文件，如自治区教育厅《宁夏中小学“互联网+教育”智慧校园建设管理办法》（宁教发〔2022〕33号）和本县（区）的评估通知"),
        ("dates", "督导评估的日期，如8月28日至9月1日"),
        ("team", "评估组成员，如县人民政府教育督导委员会办公室、教育体育局信息中心及抽调学校专业人员"),
        ("methods", "评估方式，如实地查看、档案建设、网上调研、谈话询问"),
    ];

    public static BulletinDraft Write(string countyName, EvaluationCycle cycle, CyclePeriods periods, Rubric rubric, IReadOnlyList<BulletinSchool> schools,
        IReadOnlyDictionary<string, string> filled)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        ArgumentNullException.ThrowIfNull(periods);
        ArgumentNullException.ThrowIfNull(rubric);
        ArgumentNullException.ThrowIfNull(schools);
        ArgumentNullException.ThrowIfNull(filled);
        var holes = new List<BulletinHole>();
        BulletinPart Hole(string key, string prompt)
        {
            var value = filled.GetValueOrDefault(key);
            holes.Add(new BulletinHole(key, prompt, string.IsNullOrWhiteSpace(value) ? null : value.Trim()));
            return string.IsNullOrWhiteSpace(value) ? BulletinPart.Blank(key, prompt) : new BulletinPart(value.Trim(), key, prompt);
        }

        BulletinPart Fixed(string key) => Hole(key, BulletinWriter.Fixed.Single(f => f.Key == key).Prompt);

        var paragraphs = new List<BulletinParagraph>
        {
            new(BulletinStyle.Title, $"{countyName}{cycle.Year}年“互联网+教育”智慧校园星级评定工作督导评估通报"),
            new(BulletinStyle.Body,
            [
                new("根据"), Fixed("basis"), new("等文件要求，"), Fixed("dates"), new("，"), Fixed("team"), new("通过"), Fixed("methods"),
                new($"等方式，对{(schools.Count > 0 ? schools[0].Name : countyName)}等{schools.Count}所学校“互联网+教育”智慧校园星级评定建设工作进行了督导评估，现将督导评估情况通报如下："),
            ]),
        };

        // 一、评星定级情况: levels from the lowest, each school's score as 002 writes it ("75分", "81.5分"), in the directory's order.
        var rated = schools.Where(s => s.Stars?.Stars >= 2).OrderBy(s => Math.Min(s.Stars!.Stars!.Value, 4)).ToArray();
        paragraphs.Add(new(BulletinStyle.Heading, "一、评星定级情况"));
        var areas = rubric.Areas.Count(a => !a.Bonus);
        var groups = rubric.Areas.Where(a => !a.Bonus).Sum(a => a.Groups.Count(g => g.Name is not null));
        var levels = string.Concat(rated.GroupBy(s => Math.Min(s.Stars!.Stars!.Value, 4)).Select((g, i) => Level(g.Key, g.ToArray(), i == 0)));
        paragraphs.Add(new(BulletinStyle.Body, rated.Length == 0
            ? $"根据《宁夏中小学“互联网+教育”智慧校园认定标准》中的{areas}个一级指标，{groups}个二级指标内容，在学校自评自查的基础上，对标对表进行现场督导评估赋分，尚无学校达到智慧校园二星级认定标准。"
            : $"根据《宁夏中小学“互联网+教育”智慧校园认定标准》中的{areas}个一级指标，{groups}个二级指标内容，在学校自评自查的基础上，对标对表进行现场督导评估赋分，{levels}"));

        // 二、取得的成效: the author's words for what was seen on site, then what the data says, with the county's rank where it stands out.
        var figures = new List<BulletinFigure>();
        paragraphs.Add(new(BulletinStyle.Heading, "二、取得的成效"));
        for (var i = 0; i < rated.Length; i++)
        {
            var school = rated[i];
            var parts = new List<BulletinPart> { new($"{i + 1}.{school.Name}。"), Hole("praise:" + school.Code, $"{school.Name}现场评估所见的成效、获奖和其他平台的数据") };
            var said = new List<string>();
            foreach (var (indicator, period, sentence) in Praised)
            {
                var code = period(cycle, periods).Code;
                if (Measured(school, indicator, code) is not { } fact || fact.Value is not > 0)
                {
                    continue;
                }

                var value = RaterText.Number(fact.Value);
                var rank = Rank(schools, indicator, code, fact.Value.Value);
                said.Add(sentence(value) + (rank.Place <= 3 ? $"，{(rank.Tied ? "并列" : "居")}全县第{Chinese(rank.Place)}" : string.Empty));
                figures.Add(new BulletinFigure(school.Name, indicator, RaterText.IndicatorName(indicator), RaterText.Period(code), value, fact.RunId, fact.FetchedAt));
            }

            if (said.Count > 0)
            {
                parts.Add(new BulletinPart((parts.Count > 0 ? "网上采集数据显示，" : string.Empty) + string.Join("，", said) + "。"));
            }

            paragraphs.Add(new(BulletinStyle.Body, parts));
        }

        // 三、存在的问题: each school's lines short of full points, the largest first; then what many schools share.
        paragraphs.Add(new(BulletinStyle.Heading, "三、存在的问题"));
        paragraphs.Add(new(BulletinStyle.SubHeading, "（一）各学校存在的问题。"));
        foreach (var school in schools.Where(s => s.Plan is not null))
        {
            var problems = school.Plan!.Lines.Take(4).Select(Problem).ToList();
            if (school.Plan.UnmetVeto.Count > 0)
            {
                problems.Insert(0, $"★项{string.Join("、", school.Plan.UnmetVeto)}未达到满分");
            }

            if (school.Plan.Waiting.Count > 0)
            {
                problems.Add($"{school.Plan.Waiting.Count}项指标尚未评分");
            }

            paragraphs.Add(new(BulletinStyle.Body, $"{school.Name}：{(problems.Count == 0 ? "各项指标均已达到满分要求" : string.Join("，", problems.Distinct()))}。"));
        }

        var planned = schools.Where(s => s.Plan is not null).ToArray();
        var shared = planned.SelectMany(s => s.Plan!.Lines.Select(l => (l.Target, l.Name, l.Veto)))
            .GroupBy(l => l.Target, StringComparer.Ordinal)
            .Select(g => (Line: g.First(), Count: g.Count(), Share: planned.Length == 0 ? 0 : (decimal)g.Count() / planned.Length))
            .Where(x => x.Share >= 0.25m && x.Count >= 2).OrderByDescending(x => x.Count).ThenBy(x => x.Line.Target, StringComparer.Ordinal).ToArray();
        if (shared.Length > 0)
        {
            paragraphs.Add(new(BulletinStyle.SubHeading, "（二）共性问题。"));
            var most = shared.Where(x => x.Share > 0.5m).Select(x => $"{Number(x.Line.Target, x.Line.Veto)}{x.Line.Name}（{x.Count}所）").ToArray();
            var some = shared.Where(x => x.Share <= 0.5m).Select(x => $"{Number(x.Line.Target, x.Line.Veto)}{x.Line.Name}（{x.Count}所）").ToArray();
            var text = string.Join("；", new[]
            {
                most.Length > 0 ? "多数学校在" + string.Join("、", most) + "方面未达到认定标准要求" : null,
                some.Length > 0 ? "部分学校在" + string.Join("、", some) + "方面未达到认定标准要求" : null,
            }.Where(t => t is not null));
            paragraphs.Add(new(BulletinStyle.Body, text + "。"));
        }

        // 四、下一步工作要求: the 整改 items with their deadlines, school by school; the author's words where none is set.
        paragraphs.Add(new(BulletinStyle.Heading, "四、下一步工作要求"));
        var remedied = schools.Where(s => s.Remedies.Count > 0).ToArray();
        if (remedied.Length == 0)
        {
            paragraphs.Add(new(BulletinStyle.Body, [new("扎实做好反馈问题整改。"), Hole("requirements", "整改要求与完成时限（尚未设立整改项）")]));
        }
        else
        {
            paragraphs.Add(new(BulletinStyle.Body, "扎实做好反馈问题整改。各学校要对照本通报指出的问题，对标《宁夏中小学“互联网+教育”智慧校园认定标准》，逐项整改，按期报县（区）教育局核实："));
            foreach (var school in remedied)
            {
                paragraphs.Add(new(BulletinStyle.Body,
                    $"{school.Name}：{string.Join("；", school.Remedies.OrderBy(r => r.Deadline).Select(r => $"{r.Problem}（{r.Deadline.Month}月{r.Deadline.Day}日前完成）"))}。"));
            }
        }

        return new BulletinDraft(paragraphs, figures, holes);
    }

    /// <summary>One level's sentence: "5所学校符合智慧校园二星级认定标准，分别是…。"; a 四星级 school applies to the department.</summary>
    private static string Level(int stars, BulletinSchool[] schools, bool first)
    {
        var level = RaterText.Stars(stars);
        var apply = stars >= 4 ? $"，向自治区教育厅申请智慧校园{level}认定" : string.Empty;
        if (schools.Length == 1)
        {
            return $"{schools[0].Name}符合智慧校园{level}认定标准，评定得分{Score(schools[0].Total)}{apply}。";
        }

        return $"{(first ? "其中" : string.Empty)}{schools.Length}所学校符合智慧校园{level}认定标准，分别是{string.Join("，", schools.Select(s => $"{s.Name}评定得分{Score(s.Total)}"))}{apply}。";
    }

    private static string Problem(Remediation.GapLine line) =>
        line.Figure is { } figure ? $"{Number(line.Target, line.Veto)}{figure}" : $"{Number(line.Target, line.Veto)}{line.Name}未达到要求（{RaterText.Score(line.Score)}/{RaterText.Score(line.Points)}分）";

    private static string Number(string target, bool veto) => $"（{(veto ? "★" : string.Empty)}{PrintedItems.Number(target)}）";

    /// <summary>A score as 002 writes it: 75分, 81.5分.</summary>
    public static string Score(decimal total) => RaterText.Score(total) + "分";

    private static FactEvidence? Measured(BulletinSchool school, string indicator, string period) =>
        school.Facts.Where(f => f.Indicator == indicator && f.Period == period).OrderByDescending(f => f.FetchedAt).FirstOrDefault();

    /// <summary>The school's place among the county's schools with the figure, highest first; schools with the same figure share a place.</summary>
    private static (int Place, bool Tied) Rank(IReadOnlyList<BulletinSchool> schools, string indicator, string period, decimal value)
    {
        var values = schools.Select(s => Measured(s, indicator, period)?.Value).Where(v => v is not null).Select(v => v!.Value).ToArray();
        return (values.Count(v => v > value) + 1, values.Count(v => v == value) > 1);
    }

    /// <summary>一 … 十 for a place in the county.</summary>
    private static string Chinese(int n) => n switch
    {
        1 => "一",
        2 => "二",
        3 => "三",
        _ => n.ToString(CultureInfo.InvariantCulture),
    };
}
