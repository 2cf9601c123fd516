using System.Globalization;
using System.Text.Json.Nodes;
using Ingest.Connectors.Progress.Api;
using Ingest.Core.Connectors;
using Ingest.Core.Facts;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;

namespace Ingest.Connectors.Progress.Normalization;

public static partial class ProgressNormalizer
{
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
}
