using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ingest.Connectors.Progress.Api;
using Ingest.Connectors.Progress.Export;
using Ingest.Core.Connectors;
using Ingest.Core.Facts;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;

namespace Ingest.Connectors.Progress.Normalization;

/// <summary>
/// The <c>progress.*</c> facts of docs/domain.md for every school of the county and the county itself (pure: rows in,
/// facts out). Unknown stays unknown: an empty export field gives a fact whose value is null, never 0. County
/// figures for the "every unit school" items carry, in their detail, which unit schools pass, fail or are unknown.
/// </summary>
public static class ProgressNormalizer
{
    public const string Source = "progress";

    /// <summary>Unit-school codes listed in a detail are cut at this many (the counts are always complete).</summary>
    private const int ListedCodes = 50;

    private static readonly CatalogueFacts Facts = new(Source);
    private static readonly JsonSerializerOptions DetailJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Classrooms that count for <paramref name="period"/>: enabled, and commissioned by the period's end (a classroom
    /// commissioned later did not exist then). <c>enabled</c> is today's state: the system keeps no history of it.
    /// </summary>
    public static ClassroomDto[] InUse(IEnumerable<ClassroomDto> classrooms, Period period) =>
        classrooms.Where(c => c.Enabled && (c.CommissionedOn is null || c.CommissionedOn <= period.End)).ToArray();

    /// <summary>Enabled classrooms per school; the county's detail says which unit schools have one (their attached schools' count for them).</summary>
    public static NormalizedRows Classrooms(string countyCode, Period period, IReadOnlyCollection<Organisation> schools, IReadOnlyCollection<ClassroomDto> rows)
    {
        ArgumentNullException.ThrowIfNull(schools);
        ArgumentNullException.ThrowIfNull(rows);
        var usable = Usable(rows);
        var inUse = InUse(usable, period).ToLookup(c => c.SchoolCode!, StringComparer.Ordinal);
        var facts = new List<IndicatorFact>();
        foreach (var school in SchoolsToReport(schools, usable.Select(c => c.SchoolCode!)))
        {
            facts.Add(Facts.Count(school, "progress.interactive_classrooms", period, inUse[school].Count()));
        }

        var units = UnitSchools(schools);
        var without = units.Where(u => u.Members.All(m => !inUse[m].Any())).Select(u => u.Code).ToArray();
        facts.Add(Facts.Count(countyCode, "progress.interactive_classrooms", period, facts.Sum(f => f.Value ?? 0), Detail(new JsonObject
        {
            ["unitSchools"] = units.Length,
            ["unitSchoolsWithClassroom"] = units.Length - without.Length,
            ["unitSchoolsWithout"] = Codes(without),
            ["rule"] = "a unit school counts a classroom of a school attached to it",
        })));
        var rejected = rows.Count - usable.Length;
        return new NormalizedRows(facts, rejected, Notes(rejected, "without a classroom id or a 10-digit school code", schools, usable.Select(c => c.SchoolCode!)));
    }

    /// <summary>
    /// Online lessons per school (COMPLETED sessions it hosts or receives, one lesson each), lessons per teaching week,
    /// and the classroom application index (COMPLETED sessions held in enabled classrooms ÷ those classrooms) per
    /// school and for the county. Sessions of classrooms that are disabled or of another county do not count for the index.
    /// </summary>
    /// <param name="teachingWeeks">Teaching weeks of the period (configured per school year; 35 by default).</param>
    public static NormalizedRows Sessions(string countyCode, Period period, IReadOnlyCollection<Organisation> schools,
        IReadOnlyCollection<ClassroomDto> classrooms, IEnumerable<SessionDto> sessions, decimal teachingWeeks)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        var tally = new SessionTally(period, schools);
        foreach (var session in sessions)
        {
            tally.Add(session);
        }

        return tally.Normalize(countyCode, classrooms, teachingWeeks);
    }

    /// <summary>
    /// The sessions facts of one county and period, added up one session at a time: what it holds grows with the county's
    /// schools, classrooms and weeks, never with its sessions. Every figure is a count, so the order does not matter.
    /// </summary>
    public sealed class SessionTally
    {
        private readonly Period period;
        private readonly IReadOnlyCollection<Organisation> schools;
        private readonly Dictionary<string, Organisation> directory;
        private readonly Dictionary<string, Lessons> bySchool = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> heldIn = new(StringComparer.Ordinal);
        private readonly SortedSet<string> unknownStatus = new(StringComparer.Ordinal);
        private int inCounty;
        private int outside;
        private int rejected;

        public SessionTally(Period period, IReadOnlyCollection<Organisation> schools)
        {
            ArgumentNullException.ThrowIfNull(schools);
            this.period = period;
            this.schools = schools;
            directory = schools.Where(s => s.Level == OrgLevel.School).ToDictionary(s => s.Code, StringComparer.Ordinal);
        }

        /// <summary>The period the sessions are counted for.</summary>
        public Period Period => period;

        /// <summary>Sessions added, left-out ones included.</summary>
        public long Count { get; private set; }

        /// <summary>Adds one session (each id once).</summary>
        public void Add(SessionDto s)
        {
            ArgumentNullException.ThrowIfNull(s);
            Count++;
            if (string.IsNullOrEmpty(s.HostSchoolCode) || string.IsNullOrEmpty(s.ClassroomId) || s.Status is null)
            {
                rejected++;
                return;
            }

            var day = Beijing(s.Start);
            outside += period.Kind != PeriodKind.Day && (day < period.Start || day > period.End) ? 1 : 0;
            if (s.Status != SessionDto.Completed)
            {
                if (s.Status is not ("CANCELLED" or "SCHEDULED"))
                {
                    unknownStatus.Add(s.Status);
                }

                return;
            }

            var week = WeekOf(day);
            Of(s.HostSchoolCode)?.Add(week, hosted: true);
            foreach (var receiver in (s.ReceivingSchoolCodes ?? []).Where(r => r != s.HostSchoolCode).Distinct(StringComparer.Ordinal))
            {
                Of(receiver)?.Add(week, hosted: false);
            }

            heldIn[s.ClassroomId] = heldIn.GetValueOrDefault(s.ClassroomId) + 1;
            inCounty += directory.ContainsKey(s.HostSchoolCode) || (s.ReceivingSchoolCodes ?? []).Any(directory.ContainsKey) ? 1 : 0;
        }

        public NormalizedRows Normalize(string countyCode, IReadOnlyCollection<ClassroomDto> classrooms, decimal teachingWeeks)
        {
            ArgumentNullException.ThrowIfNull(classrooms);
            var rooms = InUse(Usable(classrooms), period);
            var roomsBySchool = rooms.ToLookup(c => c.SchoolCode!, StringComparer.Ordinal);
            var weeksDetail = Detail(new JsonObject { ["teachingWeeks"] = teachingWeeks, ["period"] = period.Code });
            var facts = new List<IndicatorFact>();
            var countyWeeks = new SortedDictionary<DateOnly, int>();
            decimal countyLessons = 0;
            foreach (var code in directory.Keys.Order(StringComparer.Ordinal))
            {
                var lessons = bySchool.GetValueOrDefault(code) ?? new Lessons();
                var (host, receive) = (lessons.Hosted, lessons.Received);
                countyLessons += host + receive;
                foreach (var (week, count) in lessons.Weeks)
                {
                    countyWeeks[week] = countyWeeks.GetValueOrDefault(week) + count;
                }

                if (!directory[code].Active && host + receive == 0)
                {
                    continue; // a closed school with nothing in the period has nothing to report
                }

                facts.Add(Facts.Count(code, "progress.online_lessons", period, host + receive,
                    Detail(new JsonObject { ["hosted"] = host, ["received"] = receive, ["weeks"] = Weeks(lessons.Weeks) })));
                facts.Add(Facts.Ratio(code, "progress.online_lessons_per_week", period, host + receive, teachingWeeks, weeksDetail));
                var own = roomsBySchool[code].ToArray();
                facts.Add(Facts.Ratio(code, "progress.classroom_app_index", period, own.Sum(r => heldIn.GetValueOrDefault(r.ClassroomId!)), own.Length,
                    Detail(new JsonObject { ["classrooms"] = own.Length })));
            }

            facts.Add(Facts.Count(countyCode, "progress.online_lessons", period, countyLessons,
                Detail(new JsonObject
                {
                    ["sessions"] = inCounty,
                    ["rule"] = "one lesson for the host and for each receiving school of the county",
                    ["weeks"] = Weeks(countyWeeks),
                })));
            var countyHeld = rooms.Sum(r => heldIn.GetValueOrDefault(r.ClassroomId!));
            facts.Add(Facts.Ratio(countyCode, "progress.classroom_app_index", period, countyHeld, rooms.Length,
                Detail(new JsonObject { ["classrooms"] = rooms.Length, ["sessions"] = countyHeld })));

            var notes = new List<string>();
            if (rejected > 0)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"{rejected} sessions left out: no host school, classroom or status"));
            }

            if (unknownStatus.Count > 0)
            {
                notes.Add($"statuses outside the contract not counted as held: {string.Join(", ", unknownStatus)}");
            }

            if (outside > 0)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"{outside} sessions start outside {period.Code} though the listing returned them; they are counted"));
            }

            return new NormalizedRows(facts, rejected, notes);
        }

        /// <summary>The school's lessons, for a school of the county's directory; null for any other.</summary>
        private Lessons? Of(string code)
        {
            if (!directory.ContainsKey(code))
            {
                return null;
            }

            if (!bySchool.TryGetValue(code, out var lessons))
            {
                bySchool[code] = lessons = new Lessons();
            }

            return lessons;
        }

        private sealed class Lessons
        {
            public int Hosted { get; private set; }

            public int Received { get; private set; }

            /// <summary>Lessons by the Monday of their week.</summary>
            public SortedDictionary<DateOnly, int> Weeks { get; } = [];

            public void Add(DateOnly week, bool hosted)
            {
                Hosted += hosted ? 1 : 0;
                Received += hosted ? 0 : 1;
                Weeks[week] = Weeks.GetValueOrDefault(week) + 1;
            }
        }
    }

    /// <summary>
    /// The infrastructure export of <paramref name="night"/> (the night actually read, which the detail of every fact
    /// names): bandwidth, multimedia coverage of teaching classes, security system and one-click alarm per school; for
    /// the county, each over its unit schools with the ones that fail or did not report listed.
    /// </summary>
    public static NormalizedRows Infrastructure(string countyCode, Period period, IReadOnlyCollection<Organisation> schools, InfrastructureFile file, DateOnly night)
    {
        ArgumentNullException.ThrowIfNull(schools);
        ArgumentNullException.ThrowIfNull(file);
        var exportNight = night.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var bySchool = new Dictionary<string, InfrastructureRecord>(StringComparer.Ordinal);
        var repeated = 0;
        foreach (var record in file.Records)
        {
            repeated += bySchool.ContainsKey(record.SchoolCode!) ? 1 : 0;
            bySchool[record.SchoolCode!] = record; // a school listed twice: the later line wins
        }

        var facts = new List<IndicatorFact>();
        foreach (var code in SchoolsToReport(schools, bySchool.Keys))
        {
            var r = bySchool.GetValueOrDefault(code);
            var where = Detail(r is null
                ? new JsonObject { ["exportNight"] = exportNight, ["reported"] = false }
                : new JsonObject { ["exportNight"] = exportNight, ["line"] = r.Line });
            facts.Add(Facts.Count(code, "progress.bandwidth_mbps", period, r?.BandwidthMbps, where));
            facts.Add(r is { TeachingClasses: { } classes, ClassesWithTerminals: { } equipped }
                ? Facts.Ratio(code, "progress.multimedia_class_coverage", period, equipped, classes, where)
                : Facts.UnknownRatio(code, "progress.multimedia_class_coverage", period, where));
            facts.Add(Facts.Count(code, "progress.security_system", period, Flag(r?.SecuritySystem), where));
            facts.Add(Facts.Count(code, "progress.one_click_alarm", period, Flag(r?.OneClickAlarm), where));
        }

        var units = schools.Where(s => s.IsUnitSchool).Select(s => s.Code).Order(StringComparer.Ordinal).ToArray();
        var unitRecords = units.Select(u => (Code: u, Record: bySchool.GetValueOrDefault(u))).ToArray();
        facts.Add(CountyBandwidth(countyCode, period, exportNight, unitRecords));
        facts.Add(CountyCoverage(countyCode, period, exportNight, schools, bySchool, unitRecords));
        facts.Add(CountyFlag(countyCode, "progress.security_system", period, exportNight, unitRecords, r => r.SecuritySystem));
        facts.Add(CountyFlag(countyCode, "progress.one_click_alarm", period, exportNight, unitRecords, r => r.OneClickAlarm));

        var notes = new List<string>();
        if (file.Problems.Count > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{file.Problems.Count} lines left out: ") + string.Join("; ", file.Problems.Take(20))
                + (file.Problems.Count > 20 ? "; …" : string.Empty));
        }

        if (repeated > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{repeated} schools listed more than once (the later line kept)"));
        }

        var silent = units.Count(u => !bySchool.ContainsKey(u));
        if (silent > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{silent} unit schools have no line in the export (unknown)"));
        }

        if (file.Totals is { } totals && file.Problems.Count == 0 && repeated == 0)
        {
            notes.AddRange(TotalsCheck(totals, file.Records));
        }
        else if (file.Totals is null)
        {
            notes.Add("the file has no 合计 line");
        }

        notes.AddRange(Notes(0, string.Empty, schools, bySchool.Keys));
        return new NormalizedRows(facts, file.Problems.Count + repeated, notes);
    }

    private static IndicatorFact CountyBandwidth(string countyCode, Period period, string exportNight, (string Code, InfrastructureRecord? Record)[] units)
    {
        var reported = units.Where(u => u.Record?.BandwidthMbps is not null).ToArray();
        var missing = units.Where(u => u.Record?.BandwidthMbps is null).Select(u => u.Code).ToArray();
        decimal? lowest = reported.Length == 0 ? null : reported.Min(u => u.Record!.BandwidthMbps!.Value);
        return Facts.Count(countyCode, "progress.bandwidth_mbps", period, missing.Length == 0 ? lowest : null, Detail(new JsonObject
        {
            ["exportNight"] = exportNight,
            ["aggregate"] = "lowest over unit schools",
            ["unitSchools"] = units.Length,
            ["reported"] = reported.Length,
            ["lowestReported"] = lowest,
            ["notReported"] = Codes(missing),
            ["below200"] = Codes(reported.Where(u => u.Record!.BandwidthMbps < 200).Select(u => u.Code)),
        }));
    }

    private static IndicatorFact CountyCoverage(string countyCode, Period period, string exportNight, IReadOnlyCollection<Organisation> schools,
        Dictionary<string, InfrastructureRecord> bySchool, (string Code, InfrastructureRecord? Record)[] units)
    {
        static bool Known(InfrastructureRecord? r) => r is { TeachingClasses: not null, ClassesWithTerminals: not null };
        var active = schools.Where(s => s.Level == OrgLevel.School && s.Active).Select(s => bySchool.GetValueOrDefault(s.Code)).ToArray();
        var known = bySchool.Values.Where(Known).ToArray();
        var detail = Detail(new JsonObject
        {
            ["exportNight"] = exportNight,
            ["unitSchools"] = units.Length,
            ["unitSchoolsFullyEquipped"] = units.Count(u => Known(u.Record) && u.Record!.ClassesWithTerminals == u.Record.TeachingClasses),
            ["unitSchoolsShort"] = Codes(units.Where(u => Known(u.Record) && u.Record!.ClassesWithTerminals < u.Record.TeachingClasses).Select(u => u.Code)),
            ["unitSchoolsNotReported"] = Codes(units.Where(u => !Known(u.Record)).Select(u => u.Code)),
        });
        // A ratio of sums over part of the county would pass for the whole: unknown unless every active school reported.
        return active.All(Known)
            ? Facts.Ratio(countyCode, "progress.multimedia_class_coverage", period, known.Sum(r => (decimal)r.ClassesWithTerminals!.Value), known.Sum(r => (decimal)r.TeachingClasses!.Value), detail)
            : Facts.UnknownRatio(countyCode, "progress.multimedia_class_coverage", period, detail);
    }

    private static IndicatorFact CountyFlag(string countyCode, string indicator, Period period, string exportNight,
        (string Code, InfrastructureRecord? Record)[] units, Func<InfrastructureRecord, bool?> flag)
    {
        var yes = units.Count(u => u.Record is { } r && flag(r) == true);
        var no = units.Where(u => u.Record is { } r && flag(r) == false).Select(u => u.Code).ToArray();
        var unknown = units.Where(u => u.Record is not { } r || flag(r) is null).Select(u => u.Code).ToArray();
        var detail = Detail(new JsonObject
        {
            ["exportNight"] = exportNight,
            ["unitSchools"] = units.Length,
            ["yes"] = yes,
            ["no"] = Codes(no),
            ["notReported"] = Codes(unknown),
        });
        // Value: unit schools with the system, known only when every unit school answered; numerator/denominator always.
        return new IndicatorFact(countyCode, indicator, period.Code, Source, unknown.Length == 0 ? yes : null, yes, units.Length,
            Facts.Count(countyCode, indicator, period, 0).Unit, detail);
    }

    private static IEnumerable<string> TotalsCheck(InfrastructureRecord totals, IReadOnlyList<InfrastructureRecord> records)
    {
        (string Column, int? Stated, int Sum)[] columns =
        [
            (InfrastructureRecord.TeachingClassesColumn, totals.TeachingClasses, records.Sum(r => r.TeachingClasses ?? 0)),
            (InfrastructureRecord.ClassesWithTerminalsColumn, totals.ClassesWithTerminals, records.Sum(r => r.ClassesWithTerminals ?? 0)),
            (InfrastructureRecord.InteractiveClassroomsColumn, totals.InteractiveClassrooms, records.Sum(r => r.InteractiveClassrooms ?? 0)),
        ];
        foreach (var (column, stated, sum) in columns)
        {
            if (stated is { } s && s != sum)
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"the 合计 line gives {column} {s} but the school lines add up to {sum}");
            }
        }
    }

    private static decimal? Flag(bool? value) => value switch { true => 1, false => 0, null => null };

    private static ClassroomDto[] Usable(IEnumerable<ClassroomDto> rows)
    {
        var byId = new Dictionary<string, ClassroomDto>(StringComparer.Ordinal);
        foreach (var room in rows.Where(r => !string.IsNullOrEmpty(r.ClassroomId) && IsSchoolCode(r.SchoolCode)))
        {
            byId[room.ClassroomId!] = room;
        }

        return [.. byId.Values];
    }

    /// <summary>Unit schools with the schools attached to them (teaching points, small village schools).</summary>
    private static (string Code, string[] Members)[] UnitSchools(IReadOnlyCollection<Organisation> schools)
    {
        var attached = schools.Where(s => s.Level == OrgLevel.School && s.Active && s.ParentSchoolCode is not null)
            .ToLookup(s => s.ParentSchoolCode!, s => s.Code, StringComparer.Ordinal);
        return schools.Where(s => s.IsUnitSchool).OrderBy(s => s.Code, StringComparer.Ordinal)
            .Select(s => (s.Code, attached[s.Code].Prepend(s.Code).ToArray())).ToArray();
    }

    private static IEnumerable<string> SchoolsToReport(IEnumerable<Organisation> schools, IEnumerable<string> inRows) =>
        schools.Where(s => s.Level == OrgLevel.School && s.Active).Select(s => s.Code)
            .Union(inRows, StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

    private static string[] Notes(int rejected, string why, IEnumerable<Organisation> schools, IEnumerable<string> inRows)
    {
        var known = schools.Select(s => s.Code).ToHashSet(StringComparer.Ordinal);
        var unknown = inRows.Where(c => !known.Contains(c)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var notes = new List<string>();
        if (rejected > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{rejected} rows left out: {why}"));
        }

        if (unknown.Length > 0)
        {
            notes.Add($"{unknown.Length} schools not in the directory: {string.Join(", ", unknown.Take(5))}{(unknown.Length > 5 ? ", …" : string.Empty)}");
        }

        return [.. notes];
    }

    private static bool IsSchoolCode(string? code) => code is { Length: 10 } && code.All(char.IsAsciiDigit);

    /// <summary>
    /// Lessons by week (the Monday it starts on, Beijing time), weeks without any left out: the series the end-of-term
    /// check reads (期末突击).
    /// </summary>
    private static JsonObject Weeks(SortedDictionary<DateOnly, int> lessons)
    {
        var weeks = new JsonObject();
        foreach (var (week, count) in lessons.Where(w => w.Value > 0))
        {
            weeks[week.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)] = count;
        }

        return weeks;
    }

    private static DateOnly WeekOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    /// <summary>
    /// Whether a session of a listing read for a wider window is <paramref name="period"/>'s: it starts within it
    /// (Beijing time, as the system files them), or the listing returned it outside the whole window, and then every
    /// period of the window counts it, as a read of its own would have.
    /// </summary>
    public static bool InShare(Period period, DateOnly windowFirst, DateOnly windowLast, SessionDto session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var day = Beijing(session.Start);
        return day < windowFirst || day > windowLast || (day >= period.Start && day <= period.End);
    }

    private static DateOnly Beijing(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(TimeSpan.FromHours(8)).DateTime);

    private static JsonArray Codes(IEnumerable<string> codes) => new([.. codes.Take(ListedCodes).Select(c => (JsonNode)c)]);

    private static string Detail(JsonObject detail) => detail.ToJsonString(DetailJson);
}
