namespace Ingest.Core.Oversight;

/// <summary>A note of the 座谈交流: an issue raised, by a school leader, a teacher or a student, at a school or not.</summary>
public sealed record VisitNote(long Id, string Speaker, string? SchoolCode, string? SchoolName, string Issue, string RecordedBy, DateTimeOffset RecordedAt)
{
    /// <summary>Who may speak at a 座谈交流 (seed 004: 与学校领导、教师、学生进行座谈交流).</summary>
    public static readonly IReadOnlyList<string> Speakers = ["学校领导", "教师", "学生"];
}

/// <summary>
/// A county's evaluation visit as recorded: the county's report, the run whose end the data was read at (事前采集), the
/// schools drawn for 实地查看 with their seed and the list drawn from, and the notes of the 座谈交流.
/// </summary>
public sealed record CountyVisit(string Cycle, string CountyCode, string? Report, string? ReportSource, string? ReportBy, DateTimeOffset? ReportAt,
    long? DataRunId, DateTimeOffset? DataAsOf, string? DataBy, DateTimeOffset? DataAt, long? Seed, int? SampleSize,
    IReadOnlyList<SpotCheckCandidate> Population, IReadOnlyList<SpotCheckCandidate> Sample, string? DrawnBy, DateTimeOffset? DrawnAt,
    IReadOnlyList<VisitNote> Notes)
{
    public static CountyVisit Empty(string cycle, string county) => new(cycle, county, null, null, null, null, null, null, null, null, null, null, [], [], null, null, []);
}
