using Ingest.Application.Ingestion;
using Ingest.Application.People;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Microsoft.Extensions.Options;

namespace Ingest.Host.Web;

/// <summary>
/// A link of the main navigation; <paramref name="Match"/>: the path prefixes under which it is the current page (a
/// school's sheet is under 本县学校 for its bureau, the county's own sheet under 县（区）评分表).
/// </summary>
public sealed record NavLink(string Text, string Href, params string[] Match)
{
    /// <summary>Whether <paramref name="path"/> is this link's page or one reached from it.</summary>
    public bool IsCurrent(string path) => Match.Any(m => path.StartsWith(m, StringComparison.Ordinal));
}

/// <summary>
/// Where each role starts and what its navigation offers. The current cycles are the nightly schedule's
/// (<c>Ingest:Schedule:Cycles</c>): the school star year and the county year staff are rating now.
/// </summary>
public sealed class Navigation(IOptionsMonitor<ScheduleOptions> schedule, TimeProvider clock)
{
    /// <summary>The school star cycle being rated: the schedule's first <c>school:</c> cycle, else last year's.</summary>
    public EvaluationCycle SchoolCycle => Current(RubricKind.School);

    /// <summary>The county cycle being rated.</summary>
    public EvaluationCycle CountyCycle => Current(RubricKind.County);

    /// <summary>The page a role lands on after signing in: a school its sheet, a bureau its county, the department the region, ops the runs.</summary>
    public string Home(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Role switch
        {
            Roles.School => $"/sheets/{SchoolCycle}/{caller.Scope}",
            Roles.Bureau => $"/counties/{caller.Scope}/{SchoolCycle}",
            Roles.Ops => "/ops/runs",
            Roles.Auditor when caller.Scope != Organisation.RegionCode => $"/counties/{caller.Scope}/{SchoolCycle}",
            _ => $"/region/{SchoolCycle}",
        };
    }

    public IReadOnlyList<NavLink> LinksFor(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var links = new List<NavLink>();
        switch (caller.Role)
        {
            case Roles.School:
                links.Add(new NavLink("本校评分表", Home(caller), "/sheets"));
                links.Add(new NavLink("本校整改", $"/remediation/{SchoolCycle}/{caller.Scope}", "/remediation"));
                break;
            case Roles.Bureau:
                links.Add(new NavLink("本县学校", Home(caller), "/counties", "/sheets/school:"));
                links.Add(new NavLink("县（区）评分表", $"/sheets/{CountyCycle}/{caller.Scope}", "/sheets/county:"));
                links.Add(new NavLink("项目报告", $"/reports/{SchoolCycle}/programme?county={caller.Scope}", "/reports"));
                links.Add(new NavLink("培育名单", $"/roster/{SchoolCycle.Year}?county={caller.Scope}", "/roster"));
                links.Add(new NavLink("认定与授牌", $"/levels/{SchoolCycle.Year}?county={caller.Scope}", "/levels"));
                links.Add(new NavLink("自评核查", $"/audit/claims/{SchoolCycle}/{caller.Scope}", "/audit"));
                links.Add(new NavLink("抽查结果", $"/oversight/{SchoolCycle}/{caller.Scope}/spot-checks", "/oversight"));
                links.Add(new NavLink("实地评估", $"/visits/{CountyCycle}/{caller.Scope}", "/visits"));
                links.Add(new NavLink("整改", $"/remediation/{SchoolCycle}/counties/{caller.Scope}", "/remediation"));
                links.Add(new NavLink("通报", $"/bulletins/{SchoolCycle}/{caller.Scope}", "/bulletins"));
                break;
            case Roles.Department:
            case Roles.Auditor:
                links.Add(new NavLink(caller.Scope == Organisation.RegionCode ? "全区" : "本县学校", Home(caller),
                    "/region/school:", "/counties", "/sheets/school:"));
                if (caller.Role == Roles.Department)
                {
                    links.Add(new NavLink("县（区）评分表", $"/region/{CountyCycle}", "/region/county:", "/sheets/county:"));
                    links.Add(new NavLink("培育名单", $"/roster/{SchoolCycle.Year}", "/roster"));
                    links.Add(new NavLink("认定与授牌", $"/levels/{SchoolCycle.Year}", "/levels"));
                }
                links.Add(new NavLink("项目报告", $"/reports/{SchoolCycle}/programme" + (caller.Scope == Organisation.RegionCode ? string.Empty : "?county=" + caller.Scope), "/reports"));
                links.Add(new NavLink("评定监督", $"/oversight/{SchoolCycle}" + (caller.Scope == Organisation.RegionCode ? string.Empty : "/" + caller.Scope), "/oversight", "/visits"));
                if (caller.Scope != Organisation.RegionCode)
                {
                    links.Add(new NavLink("自评核查", $"/audit/claims/{SchoolCycle}/{caller.Scope}", "/audit"));
                    links.Add(new NavLink("整改", $"/remediation/{SchoolCycle}/counties/{caller.Scope}", "/remediation"));
                    links.Add(new NavLink("通报", $"/bulletins/{SchoolCycle}/{caller.Scope}", "/bulletins"));
                }

                break;
        }

        if (caller.Role is Roles.Ops or Roles.Auditor)
        {
            if (caller.Role == Roles.Ops)
            {
                links.Add(new NavLink("采集批次", "/ops/runs", "/ops/runs"));
                links.Add(new NavLink("数据新鲜度", "/ops/freshness", "/ops/freshness"));
            }

            links.Add(new NavLink("指标数据", "/ops/facts", "/ops/facts"));
        }

        if (caller.Role == Roles.Ops)
        {
            links.Add(new NavLink("任务面板", "/hangfire", "/hangfire"));
        }

        return links;
    }

    private EvaluationCycle Current(RubricKind kind) => Ingest.Application.Rating.RatingCycles.Current(schedule.CurrentValue.Cycles, kind, clock.GetUtcNow());
}
